import { escapeHtml } from '../../shared/html';
import type { HttpResponse } from './types';

// The pages a person sees at the end of "Add to Slack". Self-contained (no scripts, no external
// resources), never carrying a token, code or state; `no-referrer` because the callback URL that
// rendered them holds the OAuth code.

export type PageKind =
  | 'installed'
  | 'reinstalled'
  | 'cancelled'
  | 'invalid_request'
  | 'expired'
  | 'code_rejected'
  | 'slack_unavailable'
  | 'server_error'
  | 'cannot_connect';

interface PageText {
  status: number;
  title: string;
  body: string;
  retry: boolean;
}

const TEXT: Record<PageKind, PageText> = {
  installed: { status: 200, title: 'Installed', body: 'The bot is installed in {team} and is connecting now. You can close this page.', retry: false },
  reinstalled: { status: 200, title: 'Welcome back', body: 'The bot is installed again in {team} and is reconnecting now. You can close this page.', retry: false },
  cancelled: { status: 200, title: 'Installation cancelled', body: 'Nothing was installed. You can start again whenever you like.', retry: true },
  invalid_request: {
    status: 400,
    title: 'This link cannot be used',
    body: 'This installation link is not valid any more, or it was opened in a different browser. Please start again.',
    retry: true,
  },
  expired: { status: 400, title: 'This link has expired', body: 'Installation links are valid for ten minutes. Please start again.', retry: true },
  code_rejected: { status: 400, title: 'Slack did not accept this link', body: 'The approval from Slack was already used or has expired. Please start again.', retry: true },
  slack_unavailable: { status: 502, title: 'Slack could not be reached', body: 'Nothing was installed. Please try again in a minute.', retry: true },
  cannot_connect: {
    status: 400,
    title: 'Lifeline cannot connect with this installation',
    body: 'Slack approved the install, but its token cannot open a socket: Slack answered {reason}. Nothing was saved. An RTM link needs a classic Slack app installed with the bot scope; a newer app connects with Socket Mode.',
    retry: false,
  },
  server_error: { status: 500, title: 'Something went wrong', body: 'The installation could not be completed. Please try again in a minute.', retry: true },
};

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export function renderPage(kind: PageKind, options: { team?: string; installPath?: string; reason?: string } = {}): HttpResponse {
  const text = TEXT[kind];
  const team = escapeHtml(options.team ?? 'your workspace');
  const body = escapeHtml(text.body).replace('{team}', `<strong>${team}</strong>`).replace('{reason}', `<code>${escapeHtml(options.reason ?? 'an error')}</code>`);
  const retry = text.retry ? `<p><a href="${escapeHtml(options.installPath ?? '/slack/install')}">Add to Slack again</a></p>` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)} · Lifeline</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.5rem}a{color:#1264a3}</style>
</head><body><main><h1>${escapeHtml(text.title)}</h1><p>${body}</p>${retry}</main></body></html>
`;
  return { status: text.status, headers: { ...PAGE_HEADERS }, body: html };
}
