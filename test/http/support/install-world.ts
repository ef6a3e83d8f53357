import { waitFor } from '../../support/wait-for';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalKeyFileCipher } from '../../../shared/adapters/crypto';
import { DynamoDbEventDedupe, DynamoDbInstallationStore, DynamoDbLinkStore, DynamoDbWorkerRegistry } from '../../../shared/adapters/dynamodb';
import { CallbackSink, InProcessWorkflow, MemoryConnectQueue, MemoryMetrics } from '../../../shared/adapters/memory';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { InstallationCredentials, reactivateLink, retryDue, rtmLinkId } from '../../../shared/app';
import type { InstallationRecord, LinkRecord, Logger, ReactivationRequest } from '../../../shared/ports';
import { installationKey } from '../../../shared/schema';
import { startSlackSimulator, type AppHandle, type SimulatorOptionsInput, type SlackSimulator } from '../../../shared/slack-simulator';
import { IntervalTicker, openSlackConnection } from '../../../functions/worker/connection';
import type { WorkerDeps } from '../../../functions/worker/deps';
import { Worker } from '../../../functions/worker/worker';
import type { HttpDeps, SlackAppConfig } from '../../../functions/http/deps';
import { makeHandler } from '../../../functions/http/handler';
import { createHttpServer, EMBEDDED_ANSWER_WITHIN_MS } from '../../../functions/http/node-server';
import { startDynalite, type RunningEngine } from '../../support/dynalite';
import { createLinkTable, localClient } from '../../support/link-tables';
import { capturingLogger, registerSecrets } from '../../support/log-capture';
import { Browser, type Visit } from './browser';

export interface InstallWorldOptions {
  tokenRotation?: boolean;
  /** Embedded style (the work gets 2 s before the answer) unless false (Lambda style, inline). */
  embeddedAnswer?: boolean;
  simulator?: SimulatorOptionsInput;
}

/** Short liveness windows, as the worker harness uses, so a closed socket is seen at once. */
const LIVENESS = { pingIdleMs: 300, deadAfterMs: 900, serverPingTimeoutMs: 5_000, helloTimeoutMs: 1_500, closeTimeoutMs: 300 };

/**
 * A whole Lifeline behind its OAuth and Events endpoints, in one process: the simulator plays
 * Slack (authorize page, oauth.v2.access, signed lifecycle events to our `/slack/events`),
 * dynalite holds links and installations, tokens are sealed with a local key file, real workers
 * hold the sockets and get their tokens from the installation store. The interim workflow's
 * reactivation runs `reactivateLink` (auth.test → REGISTERED → connect).
 */
export class InstallWorld {
  sim!: SlackSimulator;
  app!: AppHandle;
  engine!: RunningEngine;
  client!: DynamoDBClient;
  tableName!: string;
  links!: DynamoDbLinkStore;
  installations!: DynamoDbInstallationStore;
  dedupe!: DynamoDbEventDedupe;
  registry!: DynamoDbWorkerRegistry;
  queue = new MemoryConnectQueue({ visibilityTimeoutMs: 5_000 });
  metrics = new MemoryMetrics();
  workflow!: InProcessWorkflow;
  credentials!: InstallationCredentials;
  cipher!: LocalKeyFileCipher;
  keyPath!: string;
  config!: SlackAppConfig;
  deps!: HttpDeps;
  server!: Server;
  baseUrl!: string;
  readonly reactivations: ReactivationRequest[] = [];
  readonly workers: Worker[] = [];
  readonly ticker = new IntervalTicker({ intervalMs: 50 });
  readonly logs: string[];
  readonly log: Logger;

  private constructor(private readonly options: InstallWorldOptions) {
    const { log, lines } = capturingLogger({ world: 'install' });
    this.log = log;
    this.logs = lines;
  }

  static async start(options: InstallWorldOptions = {}): Promise<InstallWorld> {
    const world = new InstallWorld(options);
    await world.init();
    return world;
  }

  private async init(): Promise<void> {
    const simOptions = this.options.simulator ?? {};
    this.sim = await startSlackSimulator({ rateLimits: false, ...simOptions, rtm: { writesPerSecond: 20, writeBurst: 40, ...simOptions.rtm } });
    this.engine = await startDynalite();
    this.client = localClient(this.engine.endpoint);
    this.tableName = await createLinkTable(this.client);
    const table = { client: this.client, tableName: this.tableName };
    this.links = new DynamoDbLinkStore(table);
    this.installations = new DynamoDbInstallationStore(table);
    this.dedupe = new DynamoDbEventDedupe(table);
    this.registry = new DynamoDbWorkerRegistry(table);
    this.keyPath = join(mkdtempSync(join(tmpdir(), 'lifeline-key-')), '.lifeline', 'token.key');
    this.cipher = new LocalKeyFileCipher({ keyPath: this.keyPath });
    const slack = new HttpSlackApi({ apiUrl: this.sim.apiUrl });

    this.server = createHttpServer((request) => handler(request));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.app = this.sim.addApp({ classic: true, socketMode: false, eventsUrl: `${this.baseUrl}/slack/events`, tokenRotation: this.options.tokenRotation ?? false });
    this.config = {
      appId: this.app.appId,
      protocol: 'rtm',
      clientId: this.app.clientId,
      clientSecret: this.app.clientSecret,
      signingSecret: this.app.signingSecret,
      scopes: ['bot'],
      userScopes: [],
      authorizeUrl: `${this.sim.url}/oauth/v2/authorize`,
      redirectUri: `${this.baseUrl}/slack/oauth_redirect`,
      stateSecret: randomBytes(32).toString('hex'),
    };
    registerSecrets(this.app.clientSecret, this.app.signingSecret, this.app.verificationToken, this.config.stateSecret);
    this.credentials = new InstallationCredentials({
      installations: this.installations,
      cipher: this.cipher,
      slack,
      apps: new Map([[this.app.appId, { client: { clientId: this.app.clientId, clientSecret: this.app.clientSecret } }]]),
      clock: Date,
      log: this.log,
    });
    this.workflow = new InProcessWorkflow({
      onRetryDue: async (request) => void (await retryDue(this.appDeps(), request)),
      onReactivation: async (request) => {
        this.reactivations.push(request);
        await reactivateLink({ ...this.appDeps(), credentials: this.credentials, slack }, request);
      },
    });
    this.deps = {
      ...this.appDeps(),
      config: this.config,
      installations: this.installations,
      cipher: this.cipher,
      oauth: slack,
      dedupe: this.dedupe,
      ...(this.options.embeddedAnswer === false ? {} : { answerWithinMs: EMBEDDED_ANSWER_WITHIN_MS }),
    };
    const handler = makeHandler(this.deps);
  }

  appDeps() {
    return { links: this.links, clock: Date, random: Math.random, queue: this.queue, workflow: this.workflow, metrics: this.metrics, log: this.log };
  }

  async startWorker(): Promise<Worker> {
    const workerId = `w-${randomUUID().slice(0, 8)}`;
    const deps: WorkerDeps = {
      ...this.appDeps(),
      workerId,
      registry: this.registry,
      slack: new HttpSlackApi({ apiUrl: this.sim.apiUrl }),
      credentials: this.credentials,
      sink: new CallbackSink(async () => {}),
      dedupe: this.dedupe,
      log: this.log.child({ workerId }),
      openConnection: (args) => openSlackConnection({ ...args, liveness: LIVENESS, ticker: this.ticker }),
    };
    const worker = new Worker(deps, { receiveWaitMs: 200, reconcileMs: 60_000 });
    await worker.start();
    this.workers.push(worker);
    return worker;
  }

  /** "Add to Slack" in a browser, for a given workspace (the `team` hint). */
  async install(teamId: string, browser = new Browser()): Promise<Visit> {
    const visit = await browser.visit(`${this.baseUrl}/slack/install?team=${teamId}`);
    // The code travelled through the URLs: the scan must never meet it in a log line.
    registerSecrets(...visit.hops.map((hop) => new URL(hop).searchParams.get('code') ?? undefined));
    return visit;
  }

  linkId(teamId: string): string {
    return rtmLinkId(this.app.appId, teamId);
  }

  installation(teamId: string): Promise<InstallationRecord | undefined> {
    return this.installations.get({ appId: this.app.appId, installId: teamId });
  }

  /** The item exactly as DynamoDB holds it. */
  async rawInstallationItem(teamId: string): Promise<string> {
    const key = installationKey(this.app.appId, teamId);
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
    return JSON.stringify(out.Item ?? null);
  }

  /** The bot token Slack considers live for the team (a re-install over a live token keeps it). */
  liveBotToken(teamId: string): string {
    const token = this.sim.install(this.app.appId, teamId).botToken;
    return token;
  }

  async waitForState(linkId: string, state: LinkRecord['state'], timeoutMs = 10_000): Promise<LinkRecord> {
    let last: LinkRecord | undefined;
    await waitFor(async () => (last = await this.links.get(linkId))?.state === state, timeoutMs, () => `link ${linkId} never reached ${state} (last: ${last?.state} ${last?.lastError ?? ''})`);
    return last as LinkRecord;
  }

  async stop(): Promise<void> {
    this.workflow.stop();
    await Promise.all(this.workers.map((w) => w.stop().catch(() => undefined)));
    this.ticker.stop?.();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.sim.close();
    this.client.destroy();
    await this.engine.stop();
  }
}

export { waitFor };
