import type { ApplyEventDeps } from '../../shared/app';
import type { Credentials, Logger, Metrics, Sink, SlackApi } from '../../shared/ports';

/** What the workflow tasks talk to: the link table, Slack (auth.test), the installations' tokens, metrics, logs. */
export interface WorkflowTaskDeps extends ApplyEventDeps {
  slack: SlackApi;
  credentials: Credentials;
  metrics: Metrics;
  log: Logger;
  /** Where a pool link's park is told to the bot (`performEffects`); embedded only for now. */
  sink?: Sink;
}
