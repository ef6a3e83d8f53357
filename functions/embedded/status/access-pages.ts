import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../../../shared/html';
import type { AccessVerdict } from '../operator/access';
import { JSON_HEADERS, SMALL_PAGE_HEADERS } from './headers';

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.5rem}code{background:#f2f2f2;padding:0 .2em}';

const page = (title: string, body: string, head = ''): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${head}
<title>${escapeHtml(title)} · Lifeline</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>
`;

/** A refused request: a short page for the status page's path, JSON for the rest (the CLI reads `error`). */
export function sendRefusal(res: ServerResponse, path: string, verdict: Extract<AccessVerdict, { ok: false }>): void {
  const headers: Record<string, string> = verdict.status === 401 ? { 'www-authenticate': 'Bearer realm="lifeline"' } : {};
  if (path === '/' && verdict.reason === 'unauthorized') {
    res.writeHead(401, { ...SMALL_PAGE_HEADERS, ...headers });
    res.end(page('Sign-in needed', `<p>This page needs this run's operator token.</p>
<p>Open the URL <code>npm start</code> printed when it started (it ends in <code>/?token=…</code>), or read the token from
<code>operator-token</code> in Lifeline's data directory (<code>LIFELINE_DATA_DIR</code>, default <code>.lifeline</code>).
Every start makes a new token: a link from an earlier run no longer works.</p>`));
    return;
  }
  res.writeHead(verdict.status, { ...JSON_HEADERS, ...headers });
  res.end(JSON.stringify({ ok: false, error: verdict.reason, message: verdict.message }));
}

/**
 * The printed link was opened: keep the token as an HttpOnly, SameSite=Strict cookie and move to
 * the clean URL. A same-origin meta refresh rather than a 303: when the link was opened from
 * another site (a chat in a browser tab), a redirect stays part of that cross-site navigation and
 * the browser would withhold the Strict cookie from it; a navigation this page starts is same-site.
 */
export function sendSignIn(res: ServerResponse, setCookie: string): void {
  res.writeHead(200, { ...SMALL_PAGE_HEADERS, 'set-cookie': setCookie });
  res.end(page('Signing in', '<p><a href="/">Continue to the status page</a></p>', '<meta http-equiv="refresh" content="0; url=/">'));
}
