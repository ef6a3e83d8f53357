import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LINK_STATES, type LinkStateName } from '../../../shared/domain';
import { createLimitedServer, HttpLimitStats, type HttpLimits } from '../../../shared/http';
import type { OperatorActionResult, OperatorTarget } from '../../../shared/app';
import type { Logger } from '../../../shared/ports';
import { listenOn } from '../port-check';
import { makeOperatorAccess, type OperatorAccessOptions } from '../operator/access';
import { sendRefusal, sendSignIn } from './access-pages';
import { EventStreams, type StreamLimits } from './event-streams';
import { JSON_HEADERS, STATUS_PAGE_HEADERS } from './headers';
import { StatusHistory, type HistoryJson } from './history';
import type { Counts, LinkBoard, LinkRow, Transition } from './link-board';
import type { Note } from './note-log';
import { renderStatusPage, type LimitCounts } from './page';

export interface WorkerStatus {
  workerId: string;
  /** null while a replacement is being started. */
  pid: number | null;
  state: string;
  restarts: number;
  startedAt: number;
  /** From the worker's own heartbeat item, when it has one. */
  linkCount?: number;
  /** Links it holds at most (the heartbeat's `capacity`): the page shows held / capacity. */
  capacity?: number;
  heartbeat?: number;
  draining?: boolean;
}

export type { Note };

export interface StatusSource {
  board: LinkBoard;
  workers(): Promise<WorkerStatus[]>;
  /** What the page says about where Slack is: the simulator (and its URL) or real Slack. */
  describe(): { mode: 'simulated' | 'real'; summary: string; simulatorUrl?: string; startedAt: number; installUrl: string };
  eventsDelivered(): number;
  /** Item writes the store has served since start (steady state should cost O(workers), not O(links)). */
  storeWrites(): number;
  notes(): Note[];
  onNote(listener: (note: Note) => void): () => void;
  setLinksActive(target: OperatorTarget, active: boolean): Promise<OperatorActionResult>;
}

/** A route served by a listener of the embedded mode (the OAuth and Events handlers); true if handled. */
export type RouteHook = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface StatusServerOptions {
  port: number;
  host?: string;
  source: StatusSource;
  log: Logger;
  /** Who may use this server: every request is checked first (operator/access.ts); the port is the one listened on. */
  access: Omit<OperatorAccessOptions, 'port'>;
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
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify(body));
};

export type { LimitCounts };

export async function statusJson(source: StatusSource, limits?: LimitCounts, history?: StatusHistory): Promise<{ links: Counts; workers: WorkerStatus[]; mode: string; summary: string; simulatorUrl?: string; eventsDelivered: number; storeWrites: number; history?: HistoryJson } & Partial<LimitCounts>> {
  const about = source.describe();
  return {
    links: source.board.counts(),
    workers: await source.workers(),
    mode: about.mode,
    summary: about.summary,
    ...(about.simulatorUrl ? { simulatorUrl: about.simulatorUrl } : {}),
    eventsDelivered: source.eventsDelivered(),
    storeWrites: source.storeWrites(),
    ...limits,
    ...(history ? { history: history.toJSON() } : {}),
  };
}

/** The operator's HTTP server of `npm start`: status page, JSON, live feed, operator API; nothing without the operator's token. */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const { source, log } = options;
  const httpStats = options.httpStats ?? new HttpLimitStats();
  const streams = new EventStreams(options.streams ?? {}, log, () => source.board.counts());
  const limitCounts = (): LimitCounts => ({ streams: streams.counts(), http: httpStats.counts() });
  const history = new StatusHistory();
  history.sample(Date.now(), source.board.counts(), source.eventsDelivered());
  const access = makeOperatorAccess({ ...options.access, port: () => (server.address() as AddressInfo).port });
  const server: Server = createLimitedServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // The path only: a query may carry the operator token.
      log.error('request failed', { path: new URL(req.url ?? '/', 'http://localhost').pathname, error });
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    });
  }, { ...(options.limits ? { limits: options.limits } : {}), stats: httpStats, log });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const verdict = access.check({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers });
    if (!verdict.ok) return sendRefusal(res, path, verdict);
    if (verdict.via === 'link') return sendSignIn(res, verdict.setCookie);
    if (req.method === 'GET' && path === '/') {
      const body = renderStatusPage({ about: source.describe(), counts: source.board.counts(), rows: source.board.list(), transitions: source.board.recentTransitions(), notes: source.notes(), limits: limitCounts(), history: history.toJSON() });
      res.writeHead(200, STATUS_PAGE_HEADERS);
      res.end(body);
      return;
    }
    if (req.method === 'GET' && path === '/status.json') return json(res, 200, await statusJson(source, limitCounts(), history));
    if (req.method === 'GET' && path === '/events/stream') return streams.open(res);
    if (req.method === 'GET' && path === '/api/links') {
      const state = url.searchParams.get('state') ?? undefined;
      if (state && !LINK_STATES.includes(state as LinkStateName)) return json(res, 400, { ok: false, error: `unknown state ${state}` });
      const team = url.searchParams.get('team') ?? undefined;
      return json(res, 200, { links: source.board.list({ ...(state ? { state: state as LinkStateName } : {}), ...(team ? { teamId: team } : {}) }) });
    }
    // A team's links, or (only when asked for by name) every link of an app.
    const action = /^\/api\/(teams|apps)\/([A-Za-z0-9_-]+)\/(deactivate|reactivate)$/.exec(path);
    if (req.method === 'POST' && action) {
      const target: OperatorTarget = { kind: action[1] === 'apps' ? 'app' : 'team', id: action[2] as string };
      const result = await source.setLinksActive(target, action[3] === 'reactivate');
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
    onTransition: (transition: Transition) => {
      history.transition(transition);
      broadcast('transition', transition);
    },
  });
  const offNote = source.onNote((note) => broadcast('note', note));
  // Counts at most every 500 ms, and a comment now and then so proxies keep the stream open.
  const countsTimer = setInterval(() => {
    if (!countsDue) return;
    countsDue = false;
    broadcast('counts', source.board.counts());
  }, 500);
  const keepAlive = setInterval(() => streams.keepAlive(), 15_000);
  // The charts: sampled every second, and each minute that changed sent (a few hundred bytes each).
  const historyTimer = setInterval(() => {
    history.sample(Date.now(), source.board.counts(), source.eventsDelivered());
    for (const bucket of history.takeChanged()) broadcast('history', bucket);
  }, 1_000);

  await listenOn(server, { key: 'PORT', port: options.port, what: 'the status page and operator API' }, options.host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(countsTimer);
        clearInterval(keepAlive);
        clearInterval(historyTimer);
        unsubscribe();
        offNote();
        streams.closeAll();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
