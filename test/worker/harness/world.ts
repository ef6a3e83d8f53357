import { waitFor } from '../../support/wait-for';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalKeyFileCipher } from '../../../shared/adapters/crypto';
import { DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../../shared/adapters/dynamodb';
import { silentLogger } from '../../../shared/adapters/log';
import { CallbackSink, MemoryConnectQueue, MemoryCredentials, MemoryMetrics, type EventReply } from '../../../shared/adapters/memory';
import type { LinkWorkflowOptions, LocalStepFunctionsWorkflow, LocalStepFunctionsWorkflowOptions } from '../../../shared/adapters/stepfunctions';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { allLinksIn, applyDetached, InstallationCredentials, rtmLinkId, socketModeLinkId, type AppSecrets } from '../../../shared/app';
import type { LinkEvent } from '../../../shared/domain';
import type { Credentials, LinkRecord, Logger, SinkEvent, SlackApi } from '../../../shared/ports';
import { startSlackSimulator, type SimulatorOptionsInput, type SlackSimulator } from '../../../shared/slack-simulator';
import { LayeredCredentials } from '../../../functions/embedded/layered-credentials';
import { IntervalTicker, openSlackConnection, type LivenessOptions } from '../../../functions/worker/connection';
import type { WorkerDeps } from '../../../functions/worker/deps';
import type { WorkerOptions } from '../../../functions/worker/options';
import { Worker } from '../../../functions/worker/worker';
import { createEmbeddedWorkflow } from '../../../functions/workflow-tasks';
import { startDynalite, type RunningEngine } from '../../support/dynalite';
import { createLinkTable, localClient } from '../../support/link-tables';
import { capturingLogger } from '../../support/log-capture';
import { forkWorker, type ChildWorker } from './child-worker';

/** Short windows so faults resolve in test time; the defaults are exercised by `npm run bench`. */
export const TEST_LIVENESS: Partial<LivenessOptions> = {
  pingIdleMs: 300,
  deadAfterMs: 900,
  serverPingTimeoutMs: 5_000,
  helloTimeoutMs: 1_500,
  closeTimeoutMs: 300,
};

export interface WorldOptions {
  simulator?: SimulatorOptionsInput;
  liveness?: Partial<LivenessOptions>;
  worker?: Partial<WorkerOptions>;
  visibilityTimeoutMs?: number;
  /** Wraps the workers' Slack Web API client (to delay or observe calls). */
  wrapSlack?: (api: SlackApi) => SlackApi;
  /** The restart and reactivation workflows: the deployed definitions, run locally; time scaled for tests. */
  workflow?: { timeScale?: LocalStepFunctionsWorkflowOptions['timeScale']; definition?: LinkWorkflowOptions };
  /** The machine's jitter source for every step (a fixed value makes delays known). Default Math.random. */
  random?: () => number;
  /** Keep every log line (`world.logs`) for a test to read or scan; default: discarded. */
  captureLogs?: boolean;
  /** The table's engine; default in-memory dynalite. */
  engine?: () => Promise<RunningEngine>;
  /** The workflow tasks tell the bot (the world's sink) what they park or bring back, as `npm start`'s do. Default: no sink there. */
  taskSink?: boolean;
}

/**
 * The tests' one Lifeline, in one process, against real parts: the Slack simulator over HTTP and
 * `ws`, dynalite for the table, the real adapters, the shipped workflows (the deployed
 * definitions run locally with the real task handler, as `npm start` runs them), and as many
 * workers as a test starts, in process or forked. Credentials come from tokens a test seeds
 * (`credentials.set`) in front of the installation store (tokens sealed with a key file), as in
 * the embedded mode; `InstallWorld` adds the OAuth and Events endpoints on top.
 */
export class World {
  readonly sinkEvents: SinkEvent[] = [];
  readonly metrics = new MemoryMetrics();
  /** Tokens a test seeds, looked up before the installation store. */
  readonly credentials = new MemoryCredentials();
  /** App-level secrets by app id, read by the installation credentials (refresh, app tokens). */
  readonly apps = new Map<string, AppSecrets>();
  readonly workers: Worker[] = [];
  readonly children: ChildWorker[] = [];
  readonly ticker = new IntervalTicker({ intervalMs: 50 });
  readonly log: Logger;
  readonly logs: string[];
  readonly random: () => number;
  queue!: MemoryConnectQueue;
  workflow!: LocalStepFunctionsWorkflow;
  client!: DynamoDBClient;
  links!: DynamoDbLinkStore;
  registry!: DynamoDbWorkerRegistry;
  dedupe!: DynamoDbEventDedupe;
  installations!: DynamoDbInstallationStore;
  cipher!: LocalKeyFileCipher;
  keyPath!: string;
  /** What workers and workflow tasks connect with: the seeded tokens, then the installation store. */
  linkCredentials!: Credentials;
  sim!: SlackSimulator;
  engine!: RunningEngine;
  tableName!: string;
  sinkFailure: Error | undefined;
  /** Holds every sink delivery this long (a slow bot). */
  sinkDelayMs = 0;
  /** Refresh frames the in-process workers' sockets have handed to their runners (tests that order frames wait on it). */
  refreshesHandled = 0;
  /** The bot's answer to each event it took (an ack payload, or a wait of its own); default none. */
  sinkAnswer: ((event: SinkEvent) => Promise<EventReply | void> | EventReply | void) | undefined;

  protected constructor(protected readonly options: WorldOptions) {
    this.random = options.random ?? Math.random;
    if (options.captureLogs) ({ log: this.log, lines: this.logs } = capturingLogger({ world: 'test' }));
    else [this.log, this.logs] = [silentLogger, []];
  }

  static async start(options: WorldOptions = {}): Promise<World> {
    const world = new World(options);
    await world.init();
    return world;
  }

  protected async init(): Promise<void> {
    // Test liveness pings every 300 ms when idle; Slack's 1 write/s RTM limit would count them.
    const simulator = this.options.simulator ?? {};
    this.sim = await startSlackSimulator({ rateLimits: false, ...simulator, rtm: { writesPerSecond: 20, writeBurst: 40, ...simulator.rtm } });
    this.engine = await (this.options.engine ?? startDynalite)();
    this.client = localClient(this.engine.endpoint);
    this.tableName = await createLinkTable(this.client);
    const table = { client: this.client, tableName: this.tableName };
    this.links = new DynamoDbLinkStore(table);
    this.registry = new DynamoDbWorkerRegistry(table);
    this.dedupe = new DynamoDbEventDedupe(table);
    this.installations = new DynamoDbInstallationStore(table);
    this.keyPath = join(mkdtempSync(join(tmpdir(), 'lifeline-key-')), '.lifeline', 'token.key');
    this.cipher = new LocalKeyFileCipher({ keyPath: this.keyPath });
    this.queue = new MemoryConnectQueue({ visibilityTimeoutMs: this.options.visibilityTimeoutMs ?? 5_000 });
    const slack = new HttpSlackApi({ apiUrl: this.sim.apiUrl });
    this.linkCredentials = new LayeredCredentials([
      this.credentials,
      new InstallationCredentials({ installations: this.installations, cipher: this.cipher, slack, apps: this.apps, clock: Date, log: this.log }),
    ]);
    const taskDeps = { links: this.links, clock: Date, random: this.random, slack, credentials: this.linkCredentials, metrics: this.metrics, log: this.log, ...(this.options.taskSink ? { sink: this.sink } : {}) };
    this.workflow = createEmbeddedWorkflow({ deps: taskDeps, queue: this.queue, log: this.log, ...this.options.workflow });
  }

  /** The ports of a caller that holds no socket (a handler, an operator, the sweeper). */
  appDeps() {
    return { links: this.links, clock: Date, random: this.random, queue: this.queue, workflow: this.workflow, metrics: this.metrics, log: this.log };
  }

  /** The sink the in-process workers use, and that child workers reach over IPC. */
  readonly sink = CallbackSink.perEvent(async (event) => {
    if (this.sinkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sinkDelayMs));
    if (this.sinkFailure) throw this.sinkFailure;
    this.sinkEvents.push(event);
    return this.sinkAnswer?.(event);
  });

  workerDeps(workerId: string): WorkerDeps {
    const liveness = { ...TEST_LIVENESS, ...this.options.liveness };
    return {
      ...this.appDeps(),
      workerId,
      registry: this.registry,
      slack: (this.options.wrapSlack ?? ((api: SlackApi) => api))(new HttpSlackApi({ apiUrl: this.sim.apiUrl })),
      credentials: this.linkCredentials,
      sink: this.sink,
      dedupe: this.dedupe,
      installations: this.installations,
      log: this.options.captureLogs ? this.log.child({ workerId }) : this.log,
      openConnection: (args) => {
        const { onRefresh } = args.handlers;
        const handlers = {
          ...args.handlers,
          onRefresh: (reason: string) => {
            onRefresh(reason);
            this.refreshesHandled += 1;
          },
        };
        return openSlackConnection({ ...args, handlers, liveness, ticker: this.ticker });
      },
    };
  }

  async startWorker(options: Partial<WorkerOptions> = {}, workerId = `w-${randomUUID().slice(0, 8)}`): Promise<Worker> {
    const worker = new Worker(this.workerDeps(workerId), { receiveWaitMs: 200, reconcileMs: 60_000, ...this.options.worker, ...options });
    await worker.start();
    this.workers.push(worker);
    return worker;
  }

  /** A worker as its own process (`functions/worker/main.ts`), wired to this world over IPC. */
  async forkWorker(env: Record<string, string> = {}): Promise<ChildWorker> {
    const child = await forkWorker(this, env);
    this.children.push(child);
    return child;
  }

  /** A workspace installed on the simulator, its token seeded, its RTM link created (CONNECT) and queued. */
  async addRtmLink(): Promise<{ linkId: string; teamId: string; botToken: string; appId: string }> {
    const ws = this.sim.addWorkspace();
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    this.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    await this.send(linkId, { type: 'CONNECT' });
    return { linkId, teamId: ws.teamId, botToken: ws.botToken, appId: ws.appId };
  }

  /** A Socket Mode app with `slots` links. */
  async addSocketModeApp(slots = 1): Promise<{ appId: string; appToken: string; linkIds: string[] }> {
    const app = this.sim.addApp({ socketMode: true });
    this.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    const linkIds = Array.from({ length: slots }, (_, slot) => socketModeLinkId(app.appId, slot));
    for (const linkId of linkIds) await this.send(linkId, { type: 'CONNECT' });
    return { appId: app.appId, appToken: app.appToken, linkIds };
  }

  /** Applies an event as a detached caller would (an operator, a handler) and performs its effects. */
  async send(linkId: string, event: LinkEvent): Promise<LinkRecord> {
    return (await applyDetached(this.appDeps(), linkId, event)).link;
  }

  /** Open links per owner, as the store records them. */
  async openLinksByOwner(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const link of await allLinksIn(this.links, ['open'])) if (link.owner) counts.set(link.owner, (counts.get(link.owner) ?? 0) + 1);
    return counts;
  }

  async link(linkId: string): Promise<LinkRecord> {
    const link = await this.links.get(linkId);
    if (!link) throw new Error(`no link ${linkId}`);
    return link;
  }

  async waitForState(linkId: string, state: LinkRecord['state'], timeoutMs = 10_000): Promise<LinkRecord> {
    let last: LinkRecord | undefined;
    await waitFor(async () => {
      last = await this.links.get(linkId);
      return last?.state === state;
    }, timeoutMs, () => `link ${linkId} never reached ${state} (last: ${last?.state} ${last?.lastError ?? ''}; workers: ${this.workers.map((w) => w.state).join(', ')})`);
    return last as LinkRecord;
  }

  async stop(): Promise<void> {
    // Children gone and executions aborted and settled before the store stops: a killed child's
    // call or a task still writing would otherwise meet a closed store.
    for (const child of this.children) child.process.kill('SIGKILL');
    await Promise.all(this.children.map((child) => child.exited));
    this.workflow.stop();
    await this.workflow.idle();
    await Promise.all(this.workers.map((w) => w.stop().catch(() => undefined)));
    this.ticker.stop?.();
    await this.sim.close();
    this.client.destroy();
    await this.engine.stop();
  }
}

export { waitFor };
