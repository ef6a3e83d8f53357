import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LINK_STATES, type LinkStateName } from '../../../shared/domain';
import { createLimitedServer, HttpLimitStats, type HttpLimitCounts, type HttpLimits } from '../../../shared/http';
import type { Logger } from '../../../shared/ports';
import type { TeamActionResult } from '../operations';
import { EventStreams, type StreamCounts, type StreamLimits } from './event-streams';
import type { Counts, LinkBoard, LinkRow, Transition } from './link-board';
import { renderStatusPage } from './page';

export interface WorkerStatus {
  workerId: string;
  /** null while a replacement is being started. */
  pid: number | null;
  state: string;
  restarts: number;
  startedAt: number;
  /** From the worker's own heartbeat item, when it has one. */
  linkCount?: number;
  heartbeat?: number;
  draining?: boolean;
}

/** A line for the live feed that is not a link transition (a simulated fault, a worker restart). */
export interface Note {
  at: number;
  text: string;
}

export interface StatusSource {
  board: LinkBoard;
  workers(): Promise<WorkerStatus[]>;
  /** What the page says about where Slack is: the simulator (and its URL) or real Slack. */
  describe(): { mode: 'simulated' | 'real'; summary: string; simulatorUrl?: string; startedAt: number };
  eventsDelivered(): number;
  /** Item writes the store has served since start (steady state should cost O(workers), not O(links)). */
  storeWrites(): number;
  notes(): Note[];
  onNote(listener: (note: Note) => void): () => void;
  setTeamActive(teamOrApp: string, active: boolean): Promise<TeamActionResult>;
}

/** Extra routes mounted before the status routes (the OAuth and Events handlers); true if handled. */
export type RouteHook = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface StatusServerOptions {
  port: number;
  host?: string;
  source: StatusSource;
  log: Logger;
  routes?: RouteHook[];
  /** Header/body deadlines and the connection cap of this listener (`shared/http`). */
  limits?: Partial<HttpLimits>;
  /** Shared with the routes that read bodies, so the page shows every refusal. */
  httpStats?: HttpLimitStats;
  /** The live feed's cap and per-feed buffer bound. */
  streams?: Partial<StreamLimits>;
}

export interface StatusServer {
  url: string;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** What the limits did since start: live feeds (open, closed as stuck, refused) and slow or aborted requests. */
export interface LimitCounts {
  streams: StreamCounts;
  http: HttpLimitCounts;
}

export async function statusJson(source: StatusSource, limits?: LimitCounts): Promise<{ links: Counts; workers: WorkerStatus[]; mode: string; simulatorUrl?: string; eventsDelivered: number; storeWrites: number } & Partial<LimitCounts>> {
  const about = source.describe();
  return {
    links: source.board.counts(),
    workers: await source.workers(),
    mode: about.mode,
    ...(about.simulatorUrl ? { simulatorUrl: about.simulatorUrl } : {}),
    eventsDelivered: source.eventsDelivered(),
    storeWrites: source.storeWrites(),
    ...limits,
  };
}

/** The one HTTP server of `npm start`: status page, JSON, live feed, operator API, and mounted routes. */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const { source, log } = options;
  const httpStats = options.httpStats ?? new HttpLimitStats();
  const streams = new EventStreams(options.streams ?? {}, log, () => source.board.counts());
  const limitCounts = (): LimitCounts => ({ streams: streams.counts(), http: httpStats.counts() });
  const server: Server = createLimitedServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log.error('request failed', { path: req.url, error });
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    });
  }, { ...(options.limits ? { limits: options.limits } : {}), stats: httpStats, log });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const route of options.routes ?? []) if (await route(req, res, url)) return;
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') {
      const body = renderStatusPage({ about: source.describe(), counts: source.board.counts(), rows: source.board.list(), transitions: source.board.recentTransitions(), notes: source.notes(), limits: limitCounts() });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    if (req.method === 'GET' && path === '/status.json') return json(res, 200, await statusJson(source, limitCounts()));
    if (req.method === 'GET' && path === '/events/stream') return streams.open(res);
    if (req.method === 'GET' && path === '/api/links') {
      const state = url.searchParams.get('state') ?? undefined;
      if (state && !LINK_STATES.includes(state as LinkStateName)) return json(res, 400, { ok: false, error: `unknown state ${state}` });
      const team = url.searchParams.get('team') ?? undefined;
      return json(res, 200, { links: source.board.list({ ...(state ? { state: state as LinkStateName } : {}), ...(team ? { teamId: team } : {}) }) });
    }
    const action = /^\/api\/teams\/([A-Za-z0-9_-]+)\/(deactivate|reactivate)$/.exec(path);
    if (req.method === 'POST' && action) {
      const result = await source.setTeamActive(action[1] as string, action[2] === 'reactivate');
      return json(res, result.links.length > 0 ? 200 : 404, { ok: result.links.length > 0, ...result });
    }
    json(res, 404, { ok: false, error: 'not_found' });
  }

  const broadcast = (event: string, data: unknown): void => streams.send(event, data);
  let countsDue = false;
  const unsubscribe = source.board.subscribe({
    onRow: (row: LinkRow) => {
      broadcast('row', row);
      countsDue = true;
    },
    onTransition: (transition: Transition) => broadcast('transition', transition),
  });
  const offNote = source.onNote((note) => broadcast('note', note));
  // Counts at most every 500 ms, and a comment now and then so proxies keep the stream open.
  const countsTimer = setInterval(() => {
    if (!countsDue) return;
    countsDue = false;
    broadcast('counts', source.board.counts());
  }, 500);
  const keepAlive = setInterval(() => streams.keepAlive(), 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(countsTimer);
        clearInterval(keepAlive);
        unsubscribe();
        offNote();
        streams.closeAll();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
