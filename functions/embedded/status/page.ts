import { LINK_STATES } from '../../../shared/domain';
import { escapeHtml } from '../../../shared/html';
import { jsonForScript } from './html';
import type { StreamCounts } from './event-streams';
import type { HttpLimitCounts } from '../../../shared/http';
import type { Counts, LinkRow, Transition } from './link-board';
import type { HistoryJson } from './history';
import type { Note } from './note-log';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';

/** What the limits did since start: live feeds (open, closed as stuck, refused) and slow or aborted requests. */
export interface LimitCounts {
  streams: StreamCounts;
  http: HttpLimitCounts;
}

export interface PageModel {
  about: { mode: 'simulated' | 'real'; summary: string; simulatorUrl?: string; startedAt: number; installUrl: string };
  counts: Counts;
  rows: LinkRow[];
  transitions: Transition[];
  notes: Note[];
  limits?: LimitCounts;
  /** The last hour a minute at a time; the script draws it and keeps it current from the live feed. */
  history?: HistoryJson;
}

/** The limits line: live feeds and slow or aborted requests (the script keeps it current from /status.json). */
export const limitsText = (limits: LimitCounts): string =>
  `live feeds: ${limits.streams.open}/${limits.streams.max} open, ${limits.streams.closedStuck} closed for not reading, ${limits.streams.refused} refused` +
  ` · slow requests cut: ${limits.http.requestsTimedOut + limits.http.bodiesTimedOut}, aborted bodies: ${limits.http.bodiesAborted}, connections evicted: ${limits.http.connectionsEvicted}`;

/** Rows the page renders at first; the script keeps them current. Beyond it the table says how many more. */
const MAX_ROWS = 1_000;
/** Troubled links first: an operator opens the page to see what is not open. */
const ORDER: Record<string, number> = { backoff: 0, connecting: 1, inactive: 2, revoked: 3, open: 4 };

const rowHtml = (row: LinkRow): string =>
  `<tr id="${escapeHtml(`link-${row.id}`)}" data-state="${escapeHtml(row.state)}" data-since="${row.stateSince}">` +
  `<td class="state"><span class="pill ${escapeHtml(row.state)}">${escapeHtml(row.state)}</span></td>` +
  `<td class="id">${escapeHtml(row.id)}</td><td class="attempt">${row.attempt}</td>` +
  `<td class="error">${escapeHtml(row.lastError ?? '')}</td><td class="owner">${escapeHtml(row.owner ?? '')}</td>` +
  `<td class="since"></td></tr>`;

const feedLine = (at: number, text: string, kind: string): string =>
  `<li class="${escapeHtml(kind)}"><time>${escapeHtml(new Date(at).toISOString().slice(11, 19))}</time> ${escapeHtml(text)}</li>`;

export function renderStatusPage(model: PageModel): string {
  const rows = [...model.rows].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.id.localeCompare(b.id));
  const shown = rows.slice(0, MAX_ROWS);
  const feed = [
    ...model.transitions.map((t) => ({ at: t.at, kind: 'transition', text: `${t.linkId}: ${t.from ?? 'new'} → ${t.to}${t.lastError ? ` (${t.lastError})` : ''}` })),
    ...model.notes.map((n) => ({ at: n.at, kind: 'note', text: n.text })),
  ].sort((a, b) => b.at - a.at).slice(0, 100);
  const banner = model.about.mode === 'simulated'
    ? `<div class="banner sim" id="mode">Simulator mode: ${escapeHtml(model.about.summary)}</div>`
    : `<div class="banner real" id="mode">${escapeHtml(model.about.summary)}</div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lifeline status</title><style>${PAGE_STYLE}</style></head>
<body>
<header><h1>Lifeline</h1><a class="add-to-slack" id="add-to-slack" href="${escapeHtml(model.about.installUrl)}">Add to Slack</a></header>
${banner}
<section class="counts" id="counts">
${LINK_STATES.map((state) => `<div class="count ${state}"><span class="n" id="count-${state}" data-state="${state}">${model.counts[state]}</span><span class="label">${state}</span></div>`).join('\n')}
</section>
<p class="live"><span id="live-dot"></span> <span id="live-text">live</span> · workers: <span id="workers">…</span> · events delivered to the bot: <span id="events">…</span></p>
<p class="live limits" id="limits">${model.limits ? escapeHtml(limitsText(model.limits)) : ''}</p>
${chartsHtml()}
<main>
<section class="links"><h2>Links</h2>
<table id="links"><thead><tr><th>state</th><th>link</th><th>attempt</th><th>last error</th><th>owner</th><th>time in state</th></tr></thead>
<tbody>${shown.map(rowHtml).join('')}</tbody></table>
${rows.length > shown.length ? `<p class="more">${rows.length - shown.length} more links not shown (see <code>npx lifeline links</code>).</p>` : ''}
</section>
<section class="feed"><h2>Live feed</h2><ul id="feed">${feed.map((f) => feedLine(f.at, f.text, f.kind)).join('')}</ul></section>
</main>
<script type="application/json" id="boot">${jsonForScript({ maxRows: MAX_ROWS, history: model.history ?? { bucketMs: 60_000, buckets: [] } })}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}

/** Empty charts: the page script draws them (inline SVG, no library, nothing fetched) from the boot data and the live feed. */
const chart = (id: string, title: string, legend = ''): string =>
  `<figure class="chart"><figcaption>${title} <span class="scale" id="${id}-scale"></span>${legend}</figcaption>` +
  `<svg id="${id}" viewBox="0 0 610 80" preserveAspectRatio="none" role="img" aria-label="${title}, last hour" data-points="0" data-total="0"></svg>` +
  `<div class="axis"><span>60 min ago</span><span>now</span></div></figure>`;

const chartsHtml = (): string =>
  `<section class="charts" id="charts">` +
  chart('chart-links', 'Links by state', `<span class="legend">${LINK_STATES.map((state) => `<i class="key ${state}"></i>${state}`).join(' ')}</span>`) +
  chart('chart-reconnects', 'Reconnects per minute') +
  chart('chart-events', 'Events per minute') +
  `</section>`;
