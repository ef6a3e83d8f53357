import type {
  ConnectQueue,
  Credentials,
  EventDedupe,
  FleetMetrics,
  InstallationStore,
  LinkStore,
  Logger,
  Metrics,
  Sink,
  SlackApi,
  WorkerRegistry,
  Workflow,
} from '../../shared/ports';
import type { LinkProtocol } from '../../shared/domain';
import type { ConnectionHandlers, SlackConnection } from './connection/types';

/** Opens one Slack socket; the worker's main binds liveness options and the shared ticker. */
export type OpenConnection = (args: { protocol: LinkProtocol; url: string; handlers: ConnectionHandlers }) => SlackConnection;

/** Everything a worker talks to, injected: real adapters on AWS, embedded twins locally. */
export interface WorkerDeps {
  workerId: string;
  links: LinkStore;
  registry: WorkerRegistry;
  queue: ConnectQueue;
  workflow: Workflow;
  slack: SlackApi;
  credentials: Credentials;
  sink: Sink;
  dedupe: EventDedupe;
  /**
   * Installations (the same table): a Socket Mode `app_uninstalled` / `tokens_revoked` received
   * over a socket parks its installation here (`parkFromSocketEvent`). Optional: without it the
   * event is only forwarded.
   */
  installations?: InstallationStore;
  metrics: Metrics;
  /**
   * The autoscaler's input: links held against capacity, reported with `LinksByState`. Set on AWS
   * only (`compose-aws.ts`); absent, nothing is published (embedded has no autoscaler).
   */
  fleetMetrics?: FleetMetrics;
  log: Logger;
  openConnection: OpenConnection;
  clock: { now(): number };
  random: () => number;
}
