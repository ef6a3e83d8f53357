import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../ports';
import { httpLimits, type HttpLimits, type HttpLimitStats } from './limits';

export type BodyOutcome = { ok: true; body: string } | { ok: false; reason: 'too_large' | 'timed_out' | 'aborted' };

export interface BodyReadOptions {
  limits?: Partial<Pick<HttpLimits, 'maxBodyBytes' | 'bodyTimeoutMs'>>;
  stats?: HttpLimitStats;
  log?: Pick<Logger, 'debug'>;
}

/**
 * Reads a request body with a size and a time bound. Bytes are kept exactly (Slack signs the raw
 * body). Past the size limit the rest is drained unread, so a 413 can still be written on the
 * socket; past the deadline nothing more is read.
 */
export function readBoundedBody(req: IncomingMessage, options: BodyReadOptions = {}): Promise<BodyOutcome> {
  const { maxBodyBytes, bodyTimeoutMs } = httpLimits(options.limits);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.resume();
      settle({ ok: false, reason: 'too_large' });
    };
    const deadline = setTimeout(() => settle({ ok: false, reason: 'timed_out' }), bodyTimeoutMs);
    req.on('data', onData);
    req.once('end', () => settle({ ok: true, body: Buffer.concat(chunks).toString('utf8') }));
    // 'aborted' comes as an error (ECONNRESET) or a close before the end; either is the client's doing.
    req.once('error', () => settle({ ok: false, reason: 'aborted' }));
    req.once('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

/**
 * The body, or `undefined` once the refusal is answered and counted: 413 for a body too large,
 * 408 and the connection closed for one too slow, nothing (the client left) for an aborted one.
 * Each is logged at debug only: they are the client's doing, and a scanner makes thousands.
 */
export async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse, options: BodyReadOptions = {}): Promise<string | undefined> {
  const outcome = await readBoundedBody(req, options);
  if (outcome.ok) return outcome.body;
  const { stats, log } = options;
  const path = (req.url ?? '').split('?')[0];
  log?.debug('request body refused', { path, reason: outcome.reason });
  if (outcome.reason === 'too_large') {
    if (stats) stats.bodiesTooLarge += 1;
    if (!res.headersSent) res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('request too large');
  } else if (outcome.reason === 'timed_out') {
    if (stats) stats.bodiesTimedOut += 1;
    if (!res.headersSent) res.writeHead(408, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    // The rest of the body is not wanted: close once the answer is out.
    res.end('request body too slow', () => req.socket.destroy());
  } else {
    if (stats) stats.bodiesAborted += 1;
    res.destroy();
  }
  return undefined;
}
