import { join } from 'node:path';
import { LocalKeyFileCipher } from '../../shared/adapters/crypto';
import { DynamoDbEventDedupe, DynamoDbInstallationStore } from '../../shared/adapters/dynamodb';
import { CallbackSink, MemoryConnectQueue, type MemoryCredentials, type SinkHandler } from '../../shared/adapters/memory';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { InstallationBotAuthorizer, InstallationCredentials, parkInstallation, type AppSecrets, type InstalledApp } from '../../shared/app';
import type { Logger, Sink } from '../../shared/ports';
import { createEmbeddedWorkflow } from '../workflow-tasks/embedded-workflow';
import type { EmbeddedLogs } from './logs';
import { LayeredCredentials } from './layered-credentials';
import type { EmbeddedStore } from './store';

export interface EmbeddedPortsOptions {
  dataDir: string;
  store: EmbeddedStore;
  logs: EmbeddedLogs;
  slackApiUrl: string;
  /** App-level secrets by app id (Socket Mode app tokens, the OAuth client for token rotation). */
  apps: ReadonlyMap<string, AppSecrets>;
  /** Tokens known without an install: the simulator's seeded workspaces. */
  seeded: MemoryCredentials;
  /** The bot's handler (`LIFELINE_HANDLER`, or a callback given in code); without one events are only counted. */
  onEvents?: SinkHandler;
  /** A handler batch that has not settled within this long is refused. */
  handlerTimeoutMs?: number;
  /** The apps a Bolt app on this Lifeline serves (its `InstallationStore` queries name no app). */
  botApps?: InstalledApp[];
}

/** The installation store and the key-file cipher its tokens are sealed with (the simulated world seeds it too). */
export function embeddedInstallations(dataDir: string, store: EmbeddedStore) {
  return {
    installations: new DynamoDbInstallationStore({ client: store.client, tableName: store.tableName }),
    cipher: new LocalKeyFileCipher({ keyPath: join(dataDir, 'keys', 'token.key') }),
  };
}

/**
 * The ports the embedded parent process serves (to itself, and to the workers over IPC): the one
 * place the embedded mode chooses its adapters. The workflow is the deployed Step Functions
 * definitions run locally; credentials are the seeded simulator tokens (memory) in front of the
 * installation store, whose tokens are sealed with a key file under `<dataDir>/keys/`; the sink
 * is the bot's handler, which every worker reaches over IPC.
 */
export function composeEmbeddedPorts(options: EmbeddedPortsOptions) {
  const { store, logs } = options;
  const log: Logger = logs.log;
  const table = { client: store.client, tableName: store.tableName };
  const slack = new HttpSlackApi({ apiUrl: options.slackApiUrl });
  const queue = new MemoryConnectQueue({ visibilityTimeoutMs: 10_000 });
  const { seeded } = options;
  const { installations, cipher } = embeddedInstallations(options.dataDir, store);
  const installed = new InstallationCredentials({ installations, cipher, slack, apps: options.apps, clock: Date, log });
  const credentials = new LayeredCredentials([seeded, installed]);
  const metrics = new EmfMetrics({ write: logs.metric });
  // Lifecycle notices go where events go: the handler's sink, or the Bolt app's once it runs
  // (it starts after these ports, with the authorizer below).
  let botSink: Sink | undefined;
  const noticeSink: Sink = { deliver: (events) => (botSink ?? sink).deliver(events) };
  const workflow = createEmbeddedWorkflow({ deps: { links: store.links, clock: Date, random: Math.random, slack, credentials, metrics, log, sink: noticeSink }, queue, log });
  // Bolt's authorize: the bot token of an installation, opened (and rotated) where links' are.
  const botApps = options.botApps ?? [];
  const botAuthorizer = new InstallationBotAuthorizer({
    installations, credentials: installed, slack, appIds: botApps.map((app) => app.appId),
    // Bolt's deleteInstallation: what an uninstall event does (park, then revoke the link).
    park: async (appId, teamId) => {
      const app = botApps.find((candidate) => candidate.appId === appId) ?? { appId, protocol: 'socket' as const };
      const deps = { links: store.links, clock: Date, random: Math.random, queue, workflow, metrics, log, installations, sink: noticeSink };
      return { outcome: (await parkInstallation(deps, app, { teamId, reason: 'app_uninstalled' })).outcome };
    },
  });
  const sink = new CallbackSink(options.onEvents ?? (() => undefined), options.handlerTimeoutMs === undefined ? {} : { timeoutMs: options.handlerTimeoutMs });
  return {
    links: store.links,
    registry: store.registry,
    installations,
    cipher,
    dedupe: new DynamoDbEventDedupe(table),
    slack,
    queue,
    seeded,
    credentials,
    botAuthorizer,
    metrics,
    workflow,
    sink,
    /** Where lifecycle notices go: the Bolt app once `useBotSink` named it, else the handler's sink. */
    noticeSink,
    useBotSink: (next: Sink) => {
      botSink = next;
    },
    delivered: () => sink.delivered,
    log,
    clock: Date,
    random: Math.random,
  };
}

export type EmbeddedPorts = ReturnType<typeof composeEmbeddedPorts>;
