import { CallbackSink, InProcessWorkflow, MemoryConnectQueue, MemoryCredentials } from '../../shared/adapters/memory';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { serveConnectQueueOverIpc, serveCredentialsOverIpc, serveSinkOverIpc, serveWorkflowOverIpc } from '../../shared/adapters/ipc';
import { applyEvent, performDetachedEffects, retryDue, socketModeLinkId } from '../../shared/app';
import { linkKey } from '../../shared/schema';
import type { EmbeddedConfig } from './config';
import { openLogs } from './logs';
import { setTeamActive } from './operations';
import { runReactivation } from './reactivation';
import { forgetPreviousWorkers, recoverDeadWorker, resumeLinks } from './recovery';
import { startFaultSchedule } from './simulated/fault-schedule';
import { startSimulatedSlack, type SimulatedSlack } from './simulated/simulated-slack';
import { spawnWorker } from './spawn-worker';
import { LinkBoard } from './status/link-board';
import { NoteLog } from './status/note-log';
import { startStatusServer, type RouteHook, type StatusSource, type WorkerStatus } from './status/server';
import { openEmbeddedStore } from './store';
import { WorkerPool } from './worker-pool';

export interface RunningLifeline {
  url: string;
  lines: string[];
  stop(): Promise<void>;
}

const LINK_PREFIX = linkKey('').pk;

/**
 * The whole system on one machine: the store on disk, the workflow, the connect queue, the
 * credentials, Slack (real or simulated), worker processes, and the HTTP server. The adapters
 * chosen here are the seams: the Step Functions interpreter (issue 5) replaces the in-process
 * workflow, and the installation store (issue 6) the credentials map and the route hooks.
 */
export async function startEmbeddedLifeline(config: EmbeddedConfig): Promise<RunningLifeline> {
  const startedAt = Date.now();
  const logs = openLogs(config.dataDir, config.logLevel);
  const { log } = logs;
  const store = await openEmbeddedStore(config.dataDir, config.tableName);
  const { links, registry } = store;
  const board = new LinkBoard({ links, log });
  const offTap = store.server.onWrite((write) => {
    if (write.pk.startsWith(LINK_PREFIX)) board.touched(write.pk.slice(LINK_PREFIX.length));
  });
  const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 10_000 });
  const credentials = new MemoryCredentials();
  const metrics = new EmfMetrics({ write: (line) => logs.workers.write(`${line}\n`) });
  let delivered = 0;
  const sink = new CallbackSink((events) => void (delivered += events.length));
  const notes = new NoteLog();

  let world: SimulatedSlack | undefined;
  let slackApiUrl: string;
  let linkIds: string[];
  let summary: string;
  if (config.slack.mode === 'simulated') {
    world = await startSimulatedSlack(config.slack.sim, config.socketModeSlots, credentials, links);
    slackApiUrl = world.sim.apiUrl;
    linkIds = world.linkIds;
    summary = world.summary;
  } else {
    const { app } = config.slack;
    slackApiUrl = app.apiUrl;
    credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    linkIds = Array.from({ length: config.socketModeSlots }, (_, slot) => socketModeLinkId(app.appId, slot));
    summary = `Connected to Slack: app ${app.appId} (${config.socketModeSlots} Socket Mode sockets; RTM workspaces join through "Add to Slack")`;
  }
  const slack = new HttpSlackApi({ apiUrl: slackApiUrl });
  const appDeps = { links, clock: Date, random: Math.random, queue, metrics, log };
  const workflow: InProcessWorkflow = new InProcessWorkflow({
    onRetryDue: async (request) => void (await retryDue({ ...appDeps, workflow }, request)),
    onReactivation: (request) => runReactivation({ ...appDeps, workflow, credentials, slack }, request),
  });
  const deps = { ...appDeps, workflow, registry };

  await board.start();
  await forgetPreviousWorkers(registry);
  const pool = new WorkerPool({
    count: config.workers,
    log,
    spawn: (workerId) => {
      const child = spawnWorker(workerId, { env: config.workerEnv, tableName: store.tableName, dynamodbEndpoint: store.server.endpoint, slackApiUrl, leaseMs: config.leaseMs, output: logs.workers });
      serveConnectQueueOverIpc(child, queue);
      serveWorkflowOverIpc(child, workflow);
      serveCredentialsOverIpc(child, credentials);
      serveSinkOverIpc(child, sink);
      return child;
    },
    onDeath: async (workerId) => {
      notes.add(`worker ${workerId} died; its links go to the other workers, and a replacement starts`);
      const count = await recoverDeadWorker(deps, workerId);
      log.warn('dead worker\'s links handed over', { workerId, links: count });
    },
  });
  await pool.start();
  // Links are queued once the workers poll, so the first batches spread over them.
  const resumed = await resumeLinks(deps);
  let added = 0;
  for (const linkId of linkIds) {
    if (await links.get(linkId)) continue;
    const result = await applyEvent(deps, linkId, { type: 'CONNECT' });
    await performDetachedEffects(deps, result.link, result.effects);
    added += 1;
  }

  const source: StatusSource = {
    board,
    workers: async () => {
      const records = new Map((await registry.list().catch(() => [])).map((r) => [r.workerId, r]));
      return pool.list().map((w): WorkerStatus => {
        const record = records.get(w.workerId);
        return { workerId: w.workerId, pid: w.pid ?? null, state: w.state, restarts: w.restarts, startedAt: w.startedAt, ...(record ? { linkCount: record.linkCount, heartbeat: record.counter, draining: record.draining } : {}) };
      });
    },
    describe: () => ({ mode: config.slack.mode, summary, startedAt, ...(world ? { simulatorUrl: world.sim.url } : {}) }),
    eventsDelivered: () => delivered,
    notes: () => notes.list(),
    onNote: (listener) => notes.subscribe(listener),
    setTeamActive: (teamOrApp, active) => setTeamActive(deps, teamOrApp, active),
  };
  const routes: RouteHook[] = [];
  const server = await startStatusServer({ port: config.port, source, log, routes });
  const faults = world && config.slack.mode === 'simulated' && config.slack.sim.faults
    ? startFaultSchedule({ world, credentials, workflow, log, note: (text) => notes.add(text) })
    : undefined;

  const lines = [
    `Lifeline is running (embedded) at ${server.url}`,
    `  status page:   ${server.url}/    JSON: ${server.url}/status.json    live feed: ${server.url}/events/stream`,
    `  store:         ${store.path} (table ${store.tableName}${store.created ? ', created' : ''}; ${resumed} links resumed, ${added} new)`,
    `  workers:       ${pool.list().map((w) => `${w.workerId} (pid ${w.pid})`).join(', ')}`,
    world ? `  SIMULATOR MODE: ${summary}` : `  ${summary}`,
    world ? '  (set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN and SLACK_APP_ID to serve real Slack)' : '',
    `  logs:          ${logs.dir}/`,
    '  Ctrl-C drains the workers and stops.',
  ].filter(Boolean);

  return {
    url: server.url,
    lines,
    stop: async () => {
      faults?.stop();
      await pool.stop();
      workflow.stop();
      board.stop();
      offTap();
      await server.close();
      await world?.sim.close();
      await store.server.stop();
      log.info('stopped');
      await logs.close();
    },
  };
}
