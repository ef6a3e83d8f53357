import { createHash } from 'node:crypto';
import { PAGE_HEADERS } from '../../http/pages';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';

// The operator surface sends the headers the OAuth pages send (functions/http/pages.ts): no
// framing, no sniffing, no referrer (the printed URL carries the token once), never cached.

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The status page runs exactly its own script and style, allowed by hash: an injected `<script>`
 * or `<style>` (should escaping ever fail) does not run. It talks only to this server.
 */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const STATUS_PAGE_HEADERS: Record<string, string> = { ...PAGE_HEADERS, 'content-security-policy': STATUS_PAGE_CSP };

/** Small pages (not signed in, signing in): no script, their one inline style. */
export const SMALL_PAGE_HEADERS: Record<string, string> = { ...PAGE_HEADERS };

export const JSON_HEADERS: Record<string, string> = {
  ...PAGE_HEADERS,
  'content-type': 'application/json; charset=utf-8',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export const STREAM_HEADERS: Record<string, string> = {
  ...JSON_HEADERS,
  'content-type': 'text/event-stream; charset=utf-8',
  connection: 'keep-alive',
};
