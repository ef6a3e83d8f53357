import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What a Web API POST answered: its status, its `Retry-After`, its body as text. */
export interface PostAnswer {
  status: number;
  retryAfter: string | null;
  text: string;
}

/**
 * One form POST within `timeoutMs` (connect, headers and body). Rejects with the transport's
 * error: a Node error with its `code` (`ECONNREFUSED`...), or one named `TimeoutError`.
 */
export type SlackPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<PostAnswer>;

/** A Web API answer is a few kB; anything past this is not Slack. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Idle keep-alive connections close after this long, before the server's own timeout (Slack's
 * and the simulator's are 5 s or more), so a request never goes out on a connection the server
 * is closing. undici's default, kept from when the calls went through `fetch`.
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * The Web API over `node:http(s)` with keep-alive agents of its own. What was: the global
 * `fetch`, whose request and response streams and abort signals cost ~0.2 ms of CPU a call,
 * a tenth of a worker's cold start per link (`bench/cold-start/profile.ts`).
 */
export function nodeHttpPost(): SlackPost {
  const agents = { http: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }), https: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }) };
  return (url, headers, body, timeoutMs) =>
    new Promise<PostAnswer>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const fail = (error: Error): void => settle(() => reject(error));
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        { method: 'POST', agent: secure ? agents.https : agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => readAnswer(response, (answer) => settle(() => resolve(answer)), (error) => {
          request.destroy();
          fail(error);
        }),
      );
      const timer = setTimeout(() => {
        const error = new Error(`no answer from ${target.host} within ${timeoutMs} ms`);
        error.name = 'TimeoutError';
        fail(error);
        request.destroy(error);
      }, timeoutMs);
      request.on('error', fail);
      request.end(body);
    });
}

function readAnswer(response: IncomingMessage, done: (answer: PostAnswer) => void, fail: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  response.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_ANSWER_BYTES) fail(Object.assign(new Error(`answer over ${MAX_ANSWER_BYTES} bytes`), { code: 'response_too_large' }));
    else chunks.push(chunk);
  });
  response.on('end', () => {
    const retryAfter = response.headers['retry-after'];
    done({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, text: Buffer.concat(chunks).toString('utf8') });
  });
  response.on('error', fail);
  // Cut mid-body: no `end`, only `close` (Node's `aborted`).
  response.on('close', () => {
    if (!response.complete) fail(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }));
  });
}

/** The same over an injected `fetch` (tests that watch or stage calls). */
export function fetchPost(fetchFn: typeof fetch): SlackPost {
  return async (url, headers, body, timeoutMs) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetchFn(url, { method: 'POST', headers, body, signal, redirect: 'error' });
    // The timeout signal also covers reading the body, so a server that stalls mid-body still fails.
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
  };
}
