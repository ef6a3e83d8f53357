import type { ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from '../../ports';
import { systemTimers, type Timers } from './timers';

export interface InProcessWorkflowOptions {
  /** A retry's delay has passed: apply RETRY and send the connect command (the caller wires it). */
  onRetryDue(request: RetryRequest): Promise<void> | void;
  /** A reactivation was requested (the interim workflow runs it at once, in process). */
  onReactivation?(request: ReactivationRequest): Promise<void> | void;
  /** Waiters for connect outcomes, by task token; `completeConnect` calls one once and forgets it. */
  tasks?: Map<string, (outcome: ConnectOutcome) => void>;
  /** A due retry's callback failed. Default: written to stderr, so a stuck link is never silent. */
  onError?(error: unknown, request: RetryRequest): void;
  timers?: Timers;
}

interface Pending {
  request: RetryRequest;
  handle: unknown;
}

const reportToStderr = (error: unknown, request: RetryRequest): void => {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`retry of ${request.linkId} (epoch ${request.epoch}, attempt ${request.attempt}) failed: ${reason}`);
};

/**
 * The interim Workflow (until Step Functions, issue 5): one timer per link with a pending retry.
 * Backoff held here dies with the process; the machine's OWNER_LOST path re-announces retries
 * a dead process held. A schedule identical to the pending one (same link, epoch, attempt) is a
 * duplicate start and keeps the original timer; any other schedule for the link replaces it.
 */
export class InProcessWorkflow implements Workflow {
  private readonly onRetryDue: InProcessWorkflowOptions['onRetryDue'];
  private readonly onReactivation: InProcessWorkflowOptions['onReactivation'];
  private readonly tasks: Map<string, (outcome: ConnectOutcome) => void> | undefined;
  private readonly onError: (error: unknown, request: RetryRequest) => void;
  private readonly timers: Timers;
  private readonly pending = new Map<string, Pending>();

  constructor(options: InProcessWorkflowOptions) {
    this.onRetryDue = options.onRetryDue;
    this.onReactivation = options.onReactivation;
    this.tasks = options.tasks;
    this.onError = options.onError ?? reportToStderr;
    this.timers = options.timers ?? systemTimers;
  }

  /** Retries waiting for their delay, for a status page and tests. */
  pendingRetries(): RetryRequest[] {
    return [...this.pending.values()].map(({ request }) => ({ ...request }));
  }

  async scheduleRetry(request: RetryRequest): Promise<void> {
    const current = this.pending.get(request.linkId);
    if (current && current.request.epoch === request.epoch && current.request.attempt === request.attempt) return;
    if (current) this.timers.clearTimeout(current.handle);
    const entry: Pending = { request: { ...request }, handle: undefined };
    entry.handle = this.timers.setTimeout(() => void this.fire(entry), Math.max(0, request.delayMs));
    this.pending.set(request.linkId, entry);
  }

  async startReactivation(request: ReactivationRequest): Promise<void> {
    if (!this.onReactivation) throw new Error('this workflow was built without a reactivation handler');
    await this.onReactivation(request);
  }

  async cancelRetry(linkId: string): Promise<void> {
    const current = this.pending.get(linkId);
    if (!current) return;
    this.timers.clearTimeout(current.handle);
    this.pending.delete(linkId);
  }

  async completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void> {
    const waiter = this.tasks?.get(taskToken);
    if (!waiter) return;
    this.tasks?.delete(taskToken);
    waiter(outcome);
  }

  /** Shutdown: drops every pending retry without firing it. */
  stop(): void {
    for (const { handle } of this.pending.values()) this.timers.clearTimeout(handle);
    this.pending.clear();
  }

  private async fire(entry: Pending): Promise<void> {
    // Only the entry still registered may fire; a replaced one's timer was cleared, but be sure.
    if (this.pending.get(entry.request.linkId) !== entry) return;
    this.pending.delete(entry.request.linkId);
    try {
      await this.onRetryDue({ ...entry.request });
    } catch (error) {
      this.onError(error, entry.request);
    }
  }
}
