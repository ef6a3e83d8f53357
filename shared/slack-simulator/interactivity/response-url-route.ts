import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCore } from '../sim-core';
import { readBody } from '../web-api/request';

const ERROR_STATUS: Record<string, number> = { no_service: 404, expired_url: 404, used_url: 404, invalid_payload: 400, no_text: 400 };

/**
 * A post to a `response_url` (SLACK-PROTOCOL is silent on the reply; this answers 200 `{"ok":true}`,
 * and 404/400 with `{"ok":false,"error"}` for an unknown, expired or spent URL or an empty message).
 * Each post is recorded in ground truth as an API call of method `response_url`.
 */
export async function handleResponseUrl(ctx: SimCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const reply = (error: string | undefined, record?: { appId: string; teamId: string; kind: string; uses: number },
    args: Record<string, string> = {}): void => {
    const status = error ? (ERROR_STATUS[error] ?? 400) : 200;
    ctx.truth.record(ctx.truth.apiCalls, {
      at: ctx.clock.now(), method: 'response_url', teamId: record?.teamId, appId: record?.appId, outcome: error ?? 'ok', status,
      args: { ...(record ? { kind: record.kind, use: String(record.uses) } : {}), ...args },
    });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(error ? { ok: false, error } : { ok: true }));
  };
  if (req.method !== 'POST') {
    req.resume();
    return reply('invalid_payload');
  }
  const message = parseMessage(await readBody(req), req.headers['content-type'] ?? '');
  const found = ctx.responseUrls.find(url.pathname);
  if (!message) return reply('invalid_payload', found);
  if (!hasContent(message)) return reply('no_text', found);
  const use = ctx.responseUrls.use(url.pathname);
  if (!use.ok) return reply(use.error, use.record);
  reply(undefined, use.record, summarise(message));
}

function parseMessage(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    const text = contentType.includes('x-www-form-urlencoded') ? (new URLSearchParams(raw).get('payload') ?? '') : raw;
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const hasContent = (m: Record<string, unknown>): boolean =>
  (typeof m.text === 'string' && m.text.length > 0) || Array.isArray(m.blocks) || Array.isArray(m.attachments) || m.delete_original === true;

function summarise(m: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['text', 'response_type', 'replace_original', 'delete_original', 'thread_ts']) {
    if (m[k] !== undefined) out[k] = String(m[k]);
  }
  if (Array.isArray(m.blocks)) out.blocks = String(m.blocks.length);
  return out;
}
