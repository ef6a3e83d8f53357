import { createHmac, randomBytes } from 'node:crypto';
import { MemoryCredentials } from '../../shared/adapters/memory';
import { step, type LinkStateName, type PersistedSnapshot } from '../../shared/domain';
import { HttpLimitStats, type HttpLimits } from '../../shared/http';
import type { LinkRecord } from '../../shared/ports';
import { openLogs } from '../../functions/embedded/logs';
import { composeEmbeddedPorts } from '../../functions/embedded/ports';
import { startSlackListener } from '../../functions/embedded/slack-listener';
import { slackRoutes, type EmbeddedSlackApp } from '../../functions/embedded/slack-routes';
import type { StreamLimits } from '../../functions/embedded/status/event-streams';
import { LinkBoard } from '../../functions/embedded/status/link-board';
import { NoteLog } from '../../functions/embedded/status/note-log';
import { startStatusServer, type StatusSource } from '../../functions/embedded/status/server';
import { openEmbeddedStore } from '../../functions/embedded/store';

export interface StatusServerRig {
  /** The operator's listener (status page, JSON, live feed): requests carry `auth`. */
  url: string;
  /** The `/slack/*` listener. */
  slackUrl: string;
  /** `Authorization: Bearer <the rig's operator token>`. */
  auth: Record<string, string>;
  board: LinkBoard;
  httpStats: HttpLimitStats;
  /** The production log file (`<dataDir>/logs/lifeline.log`). */
  logFile: string;
  signingSecret: string;
  appId: string;
  close(): Promise<void>;
}

export interface RigOptions {
  dataDir: string;
  limits?: Partial<HttpLimits>;
  streams?: Partial<StreamLimits>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const NOWHERE = 'http://127.0.0.1:9';

/**
 * The embedded HTTP listeners as `npm start` assembles them (the status server and its live feed,
 * behind an operator token; `/slack/*` through `slackRoutes` on its own listener, over the embedded
 * store and ports, with the production log),
 * without workers or Slack: link transitions are fed to its board directly (`feedTransitions`).
 */
export async function startStatusServerRig(options: RigOptions): Promise<StatusServerRig> {
  const logs = openLogs(options.dataDir, options.logLevel ?? 'debug');
  const store = await openEmbeddedStore(options.dataDir, 'lifeline');
  const ports = composeEmbeddedPorts({ dataDir: options.dataDir, store, logs, slackApiUrl: `${NOWHERE}/api/`, apps: new Map(), seeded: new MemoryCredentials() });
  const { log } = ports;
  const board = new LinkBoard({ links: store.links, log });
  await board.start();
  const notes = new NoteLog();
  const startedAt = Date.now();
  const source: StatusSource = {
    board,
    workers: async () => [],
    describe: () => ({ mode: 'real', summary: 'status server rig', startedAt, installUrl: `${baseUrl}/slack/install` }),
    eventsDelivered: ports.delivered,
    storeWrites: () => store.server.writes,
    notes: () => notes.list(),
    onNote: (listener) => notes.subscribe(listener),
    setLinksActive: async (target) => ({ target, links: [] }),
  };
  const signingSecret = 'rig-signing-secret-0123456789abcdef';
  const app: EmbeddedSlackApp = {
    appId: 'A0RIG', protocol: 'rtm', clientId: 'rig.client', clientSecret: 'rig-client-secret', signingSecret,
    scopes: ['bot'], userScopes: [], authorizeUrl: `${NOWHERE}/oauth/v2/authorize`,
  };
  const httpStats = new HttpLimitStats();
  const limits = options.limits ? { limits: options.limits } : {};
  const slack = await startSlackListener({
    port: 0, log: ports.log, stats: httpStats, ...limits,
    route: slackRoutes(app, { ...ports, oauth: ports.slack }, () => baseUrl, { ...limits, stats: httpStats }),
  });
  const baseUrl = slack.url;
  const token = randomBytes(32).toString('base64url');
  const server = await startStatusServer({
    port: 0, source, log, httpStats, access: { token }, ...limits,
    ...(options.streams ? { streams: options.streams } : {}),
  });
  return {
    url: server.url, slackUrl: slack.url, auth: { authorization: `Bearer ${token}` }, board, httpStats, logFile: `${logs.dir}/lifeline.log`, signingSecret, appId: app.appId,
    close: async () => {
      await server.close();
      await slack.close();
      board.stop();
      ports.workflow.stop();
      await store.stop();
      await logs.close();
    },
  };
}

const SNAPSHOTS: Record<'open' | 'backoff', PersistedSnapshot> = (() => {
  const env = { now: 1_700_000_000_000, random: () => 0.5 };
  const connecting = step(undefined, { type: 'CONNECT' }, env).snapshot;
  return {
    open: step(connecting, { type: 'OPENED' }, env).snapshot,
    backoff: step(connecting, { type: 'CONNECT_FAILED', error: 'internal_error' }, env).snapshot,
  };
})();

/**
 * `count` link transitions (open ⇄ backoff over `links` RTM links), each written to the board as
 * the store's write tap would: a row and a transition frame on every live feed. Yields to the
 * event loop every `batch` so sockets are written meanwhile, as in a real storm.
 */
export async function feedTransitions(board: LinkBoard, count: number, options: { links?: number; batch?: number; from?: number } = {}): Promise<void> {
  const links = options.links ?? 500;
  const batch = options.batch ?? 100;
  const from = options.from ?? 0;
  for (let i = from; i < from + count; i += 1) {
    const n = i % links;
    const round = Math.floor(i / links);
    const state: LinkStateName = round % 2 === 0 ? 'backoff' : 'open';
    const record: LinkRecord = {
      id: `rtm:A0RIG:T${String(n).padStart(6, '0')}`, protocol: 'rtm', appId: 'A0RIG', teamId: `T${String(n).padStart(6, '0')}`,
      snapshot: SNAPSHOTS[state as 'open' | 'backoff'], state, attempt: state === 'backoff' ? 1 : 0,
      ...(state === 'backoff' ? { lastError: 'internal_error' } : { owner: 'worker-1' }),
      epoch: 1, version: round + 2, createdAt: 1_700_000_000_000, updatedAt: Date.now(),
    };
    board.written(record);
    if ((i + 1) % batch === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Slack's v0 signature over the raw body. */
export function signSlackBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** A lifecycle event for a workspace Lifeline does not know: signature checked, claimed, looked up, released. */
export function uninstallEventBody(appId: string, seq: number): string {
  return JSON.stringify({ type: 'event_callback', api_app_id: appId, team_id: `T0NONE${seq}`, event_id: `Ev0RIG${seq}`, event_time: Math.floor(Date.now() / 1000), event: { type: 'app_uninstalled' } });
}
