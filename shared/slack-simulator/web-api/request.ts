import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** One Web API call, normalised: Slack accepts query, form and JSON arguments alike. */
export interface ApiRequest {
  httpMethod: string;
  params: Record<string, string>;
  /** Token from `Authorization: Bearer …` */
  bearer?: string;
  /** Token from the `token` argument (query, form or JSON) */
  argToken?: string;
  /** Client credentials from `Authorization: Basic …` */
  basic?: { user: string; password: string };
  contentType: string;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class InvalidFormError extends Error {
  constructor(readonly code: 'invalid_form_data' | 'invalid_json' | 'invalid_post_type') {
    super(code);
    this.name = 'InvalidFormError';
  }
}

export async function parseApiRequest(req: IncomingMessage, url: URL): Promise<ApiRequest> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (req.method === 'POST') {
    const body = await readBody(req);
    if (body.length > 0) Object.assign(params, parseBody(body, contentType));
  }
  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const basicRaw = /^Basic\s+(\S+)$/i.exec(auth)?.[1];
  let basic: ApiRequest['basic'];
  if (basicRaw) {
    const decoded = Buffer.from(basicRaw, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) basic = { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const argToken = params.token;
  return { httpMethod: req.method ?? 'GET', params, bearer, argToken, basic, contentType };
}

function parseBody(body: string, contentType: string): Record<string, string> {
  if (contentType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new InvalidFormError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidFormError('invalid_json');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return out;
  }
  if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
    return Object.fromEntries(new URLSearchParams(body));
  }
  throw new InvalidFormError('invalid_post_type');
}
