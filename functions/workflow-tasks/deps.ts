import type { ApplyEventDeps } from '../../shared/app';
import type { Credentials, Logger, Metrics, Sink, SlackApi } from '../../shared/ports';

/** What the workflow tasks talk to: the link table, Slack (auth.test), the installations' tokens, metrics, logs. */
export interface WorkflowTaskDeps extends ApplyEventDeps {
  slack: SlackApi;
  credentials: Credentials;
  metrics: Metrics;
  log: Logger;
  /**
   * Where the bot hears what a task changed: a pool link's park (`performEffects`), a reinstall's
   * reactivation or its refused token (`reactivation-notices.ts`). The bus on AWS, the parent's
   * sink embedded; absent, only logged.
   */
  sink?: Sink;
}
