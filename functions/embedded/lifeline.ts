import { toLinkRecord } from '../../shared/adapters/dynamodb';
import { MemoryCredentials } from '../../shared/adapters/memory';
import type { ChildProcess } from 'node:child_process';
import { sendLinkParked, serveConnectQueueOverIpc, serveCredentialsOverIpc, serveSinkOverIpc, serveWorkflowOverIpc } from '../../shared/adapters/ipc';
import { isParked, LINK_STATES } from '../../shared/domain';
import { allLinksIn, gatedSink, ParkGate, queueNewLinks, socketModeLinkId, type AppSecrets } from '../../shared/app';
import { FileAppTokenMemory } from './app-token-memory';
import { operatorSetLinksActive, reactivatePoolsForNewAppTokens } from './lifecycle-paths';
import { feedParkGate } from './park-gate-tap';
import type { SinkHandler } from '../../shared/adapters/memory';
import { HttpLimitStats } from '../../shared/http';
import { installationKey, linkKey } from '../../shared/schema';
import type { EmbeddedConfig } from './config';
import { openLogs } from './logs';
import { checkPortsFree } from './port-check';
import { loadEventHandler } from './event-handler';
import { composeEmbeddedPorts, embeddedInstallations } from './ports';
import { prepareDataDir } from './operator/data-dir';
import { writeOperatorToken } from './operator/operator-token';
import { forgetPreviousWorkers, recoverDeadWorker, resumeLinks } from './recovery';
import { startSweeperLoop } from './sweeper-loop';
import { startFaultSchedule } from './simulated/fault-schedule';
import { startSimulatedSlack, type SimulatedSlack } from './simulated/simulated-slack';
import { startSlackListener } from './slack-listener';
import { slackRoutes, type EmbeddedSlackApp } from './slack-routes';
import { spawnWorker } from './spawn-worker';
import { startBotProcess } from './bot/bot-process';
import { connectionSummary } from './status/connection-summary';
import { LinkBoard } from './status/link-board';
import { NoteLog } from './status/note-log';
import { startStatusServer, type StatusSource, type WorkerStatus } from './status/server';
import { openEmbeddedStore } from './store';
import { WorkerPool } from './worker-pool';

export interface RunningLifeline {
  /** The operator's base URL (no token). */
  url: string;
  /** The URL to open once: it carries this run's operator token. */
  signInUrl: string;
  /** Where `/slack/*` listens. */
  slackUrl: string;
  /** `<dataDir>/operator-token`. */
  tokenPath: string;
  lines: string[];
  stop(): Promise<void>;
}

const LINK_PREFIX = linkKey('').pk;
const INSTALL_PREFIX = `${installationKey('', '').pk.split('#')[0]}#`;

/**
 * The whole system on one machine: the store on disk, Slack (real or simulated), the parent's
 * ports (workflow, queue, credentials, sink; see `ports.ts`), worker processes reaching them over
 * IPC, and one HTTP server (status page, operator API, OAuth and Events).
 */
export interface EmbeddedHooks {
  /** The bot as an in-process callback; wins over `config.handler`. */
  onEvents?: SinkHandler;
}

export async function startEmbeddedLifeline(config: EmbeddedConfig, hooks: EmbeddedHooks = {}): Promise<RunningLifeline> {
  const startedAt = Date.now();
  // The bot's module loads first: a broken one stops the start before anything else runs.
  const onEvents = hooks.onEvents ?? (config.handler ? await loadEventHandler(config.handler) : undefined);
  // A port in use stops the start here, in one line, before the store and the workers exist.
  await checkPortsFree([
    { key: 'PORT', port: config.port, what: 'the status page and operator API' },
    { key: 'LIFELINE_SLACK_PORT', port: config.slackPort, what: "the Slack endpoints' listener; default PORT + 1" },
  ]);
  // The data dir first: everything after writes into it, and only its owner may read it.
  const dataDir = prepareDataDir(config.dataDir);
  for (const warning of dataDir.warnings) process.stderr.write(`warning: ${warning}\n`);
  const logs = openLogs(config.dataDir, config.logLevel, config.logRotation);
  for (const notice of dataDir.notices) logs.log.info(notice);
  for (const warning of dataDir.warnings) logs.log.warn(warning);
  const store = await openEmbeddedStore(config.dataDir, config.tableName, { log: logs.log.child({ component: 'store' }) });
  const seeded = new MemoryCredentials();
  const apps = new Map<string, AppSecrets>();
  let world: SimulatedSlack | undefined;
  let slackApiUrl: string;
  let linkIds: string[];
  let summary: string;
  let installApp: EmbeddedSlackApp;
  if (config.slack.mode === 'simulated') {
    world = await startSimulatedSlack(config.slack.sim, config.socketModeSlots, { ...embeddedInstallations(config.dataDir, store), apps }, store.links);
    ({ linkIds, summary } = world);
    slackApiUrl = world.sim.apiUrl;
    // "Add to Slack" installs the classic (RTM) demo app into a new simulated workspace.
    const { rtmApp } = world;
    installApp = { appId: rtmApp.appId, protocol: 'rtm', clientId: rtmApp.clientId, clientSecret: rtmApp.clientSecret, signingSecret: rtmApp.signingSecret, scopes: ['bot'], userScopes: [], authorizeUrl: `${world.sim.url}/oauth/v2/authorize` };
  } else {
    const { app } = config.slack;
    slackApiUrl = app.apiUrl;
    apps.set(app.appId, { appToken: app.appToken, client: { clientId: app.clientId, clientSecret: app.clientSecret } });
    linkIds = app.protocol === 'socket' ? Array.from({ length: config.socketModeSlots }, (_, slot) => socketModeLinkId(app.appId, slot)) : [];
    summary = `Slack app ${app.appId} (${app.protocol === 'socket' ? `${config.socketModeSlots} Socket Mode sockets` : 'an RTM socket per workspace'}; workspaces join through "Add to Slack")`;
    installApp = { appId: app.appId, protocol: app.protocol, clientId: app.clientId, clientSecret: app.clientSecret, signingSecret: app.signingSecret, scopes: app.scopes, userScopes: [], authorizeUrl: app.authorizeUrl, ...(app.redirectUri ? { redirectUri: app.redirectUri } : {}) };
  }
  const ports = composeEmbeddedPorts({
    dataDir: config.dataDir, store, logs, slackApiUrl, apps, seeded,
    ...(onEvents ? { onEvents } : {}),
    ...(config.handler ? { handlerTimeoutMs: config.handler.timeoutMs } : {}),
    botApps: world ? [{ appId: world.rtmApp.appId, protocol: 'rtm' }, { appId: world.smApp.appId, protocol: 'socket' }] : [{ appId: installApp.appId, protocol: installApp.protocol }],
  });
  const { links, registry, log, workflow } = ports;
  // A Bolt app (LIFELINE_BOT) runs in its own process and answers each payload over IPC; it
  // starts before the workers, so a broken one stops the start before any socket opens.
  // The bot keeps `authorize` answers; every installation write (whichever process made it) drops them.
  const installationWrites = (listener: () => void): (() => void) => store.server.onWrite((write) => {
    if (write.pk.startsWith(INSTALL_PREFIX)) listener();
  });
  const bot = config.bot
    ? await startBotProcess({ path: config.bot.path, timeoutMs: config.bot.timeoutMs, slackApiUrl, env: config.workerEnv, authorizer: ports.botAuthorizer, installationWrites, output: logs.workerOutput, log })
    : undefined;
  const sink = bot?.sink ?? ports.sink;
  if (bot) ports.useBotSink(bot.sink);
  const board = new LinkBoard({ links, log });
  // The worker processes by id, so a link parked here (an uninstall event, the operator) reaches its owner at once.
  const children = new Map<string, ChildProcess>();
  // Parks as the store takes them, before any worker hears of them: what a worker received after
  // a park of its link (or of its team's installation) is not relayed to the bot (park-gate.ts).
  const parkGate = new ParkGate();
  const relayedSink = gatedSink(sink, parkGate, log);
  const offGate = feedParkGate(parkGate, (listener) => store.server.onWrite(listener));
  const offTap = store.server.onWrite((write) => {
    if (!write.pk.startsWith(LINK_PREFIX)) return;
    if (!write.item) return board.touched(write.pk.slice(LINK_PREFIX.length));
    // Every link write returns its new item (ALL_NEW), so the board takes it as written.
    const link = toLinkRecord(write.item);
    board.written(link);
    const owner = link.owner ? children.get(link.owner) : undefined;
    if (owner && isParked(link.state)) sendLinkParked(owner, link.id);
  });
  const notes = new NoteLog();
  await board.start();
  await forgetPreviousWorkers(registry);
  const pool = new WorkerPool({
    count: config.workers,
    log,
    spawn: (workerId) => {
      const child = spawnWorker(workerId, { env: config.workerEnv, tableName: store.tableName, dynamodbEndpoint: store.server.endpoint, slackApiUrl, leaseMs: config.leaseMs, output: logs.workerOutput });
      serveConnectQueueOverIpc(child, ports.queue);
      serveWorkflowOverIpc(child, workflow);
      serveCredentialsOverIpc(child, ports.credentials);
      serveSinkOverIpc(child, relayedSink);
      children.set(workerId, child);
      child.once('exit', () => {
        if (children.get(workerId) === child) children.delete(workerId);
      });
      return child;
    },
    onDeath: async (workerId) => {
      notes.add(`worker ${workerId} died; its links go to the other workers, and a replacement starts`);
      const count = await recoverDeadWorker(ports, workerId);
      log.warn('dead worker\'s links handed over', { workerId, links: count });
    },
  });
  await pool.start();
  const sweeper = startSweeperLoop({ ...ports, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
  // Links are queued once the workers poll, so the first batches spread over them.
  const resumed = await resumeLinks(ports);
  // A Socket Mode app's pool parked for its app token comes back when this start's token differs.
  await reactivatePoolsForNewAppTokens(ports, apps, new FileAppTokenMemory(config.dataDir));
  // New links are registered from nothing: queued, and the worker that takes one creates it
  // already claimed (one store write before its socket opens; ARCHITECTURE "Cold start").
  const known = new Set((await allLinksIn(links, LINK_STATES)).map((link) => link.id));
  const fresh = linkIds.filter((linkId) => !known.has(linkId));
  await queueNewLinks(ports, fresh);
  const added = fresh.length;

  const source: StatusSource = {
    board,
    workers: async () => {
      const records = new Map((await registry.list().catch(() => [])).map((r) => [r.workerId, r]));
      return pool.list().map((w): WorkerStatus => {
        const record = records.get(w.workerId);
        return { workerId: w.workerId, pid: w.pid ?? null, state: w.state, restarts: w.restarts, startedAt: w.startedAt, ...(record ? { linkCount: record.linkCount, capacity: record.capacity, heartbeat: record.counter, draining: record.draining } : {}) };
      });
    },
    // Real Slack: what is connected now, from the board (not the configuration).
    describe: () => ({ mode: config.slack.mode, summary: world ? summary : connectionSummary(installApp, board.list()), startedAt, installUrl, ...(world ? { simulatorUrl: world.sim.url } : {}) }),
    eventsDelivered: () => sink.delivered,
    storeWrites: () => store.server.writes,
    notes: () => notes.list(),
    onNote: (listener) => notes.subscribe(listener),
    setLinksActive: (target, active) => operatorSetLinksActive(ports, target, active),
  };
  let slackBaseUrl = '';
  // One count of slow and aborted requests for both listeners and the body-reading routes, shown on the page.
  const httpStats = new HttpLimitStats();
  const slack = await startSlackListener({
    port: config.slackPort, log, limits: config.http, stats: httpStats,
    // HTTP deliveries (events, commands, interactions) and lifecycle notices go to the workers' sink, claimed in the workers' dedupe store.
    route: slackRoutes(installApp, { ...ports, sink, oauth: ports.slack, rtm: ports.slack }, () => slackBaseUrl, { limits: config.http, stats: httpStats }),
  });
  slackBaseUrl = slack.url;
  // With a redirect URI configured (a tunnel's), the install starts there too: the OAuth state
  // cookie is set by the host that serves /slack/install and must come back to the same host.
  const configuredRedirect = config.slack.mode === 'real' ? config.slack.app.redirectUri : undefined;
  const installUrl = `${configuredRedirect ? new URL(configuredRedirect).origin : slack.url}/slack/install`;
  // A fresh token per run: a link or token from an earlier run stops working at the next start.
  const token = writeOperatorToken(config.dataDir);
  const server = await startStatusServer({ port: config.port, source, log, limits: config.http, httpStats, streams: config.streams, access: { token: token.value, allowedHosts: config.allowedHosts } });
  const signInUrl = `${server.url}/?token=${token.value}`;
  const faults = world && config.slack.mode === 'simulated' && config.slack.sim.faults
    ? startFaultSchedule({ world, installs: ports, workflow, log, note: (text) => notes.add(text) })
    : undefined;

  const lines = [
    `Lifeline is running (embedded). Open the status page (this link carries this run's operator token):`,
    `  ${signInUrl}`,
    `  operator:      ${server.url}/ , /status.json, /events/stream, /api/* need the token: ${token.path} (npx lifeline reads it)`,
    `  Slack:         ${slack.url}/slack/install (Add to Slack), ${slack.url}/slack/events (Events API), /slack/commands and /slack/interactive (a classic app's Request URLs): the port to tunnel for real Slack`,
    `  store:         ${store.path} (table ${store.tableName}${store.created ? ', created' : ''}; ${resumed} links resumed, ${added} new)`,
    `  workers:       ${pool.list().map((w) => `${w.workerId} (pid ${w.pid})`).join(', ')}`,
    `  bot:           ${describeHandler(config, hooks)}`,
    world ? `  SIMULATOR MODE: ${summary}` : `  ${summary}`,
    world ? '  (set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN and SLACK_APP_ID to serve real Slack)' : '',
    `  logs:          ${logs.dir}/`,
    '  Ctrl-C drains the workers and stops.',
  ].filter(Boolean);

  return {
    url: server.url,
    signInUrl,
    slackUrl: slack.url,
    tokenPath: token.path,
    lines,
    stop: async () => {
      faults?.stop();
      sweeper.stop();
      await pool.stop();
      await bot?.stop();
      workflow.stop();
      board.stop();
      offTap();
      offGate();
      await server.close();
      await slack.close();
      token.remove();
      await world?.sim.close();
      await store.stop();
      log.info('stopped');
      await logs.close();
    },
  };
}

function describeHandler(config: EmbeddedConfig, hooks: EmbeddedHooks): string {
  if (hooks.onEvents) return 'an in-process callback';
  if (config.bot) return `${config.bot.path} (a Bolt app in its own process; a payload not acked within ${config.bot.timeoutMs} ms is refused)`;
  if (config.handler) return `${config.handler.path} (a batch not handled within ${config.handler.timeoutMs} ms is refused)`;
  return 'none: events are only counted (set LIFELINE_HANDLER to a module to receive them)';
}
