/**
 * The restart and reactivation transitions: durable timers and connect orchestration. Step
 * Functions on AWS, the same definitions run locally when embedded. The port speaks the domain;
 * only the Step Functions adapter names outcomes as its engine does (`Link.Revoked`, ...).
 */
export interface RetryRequest {
  linkId: string;
  /** The link's epoch when the retry was scheduled; part of the execution name. */
  epoch: number;
  delayMs: number;
  attempt: number;
  /**
   * When the retry is due (the machine's `nextAttemptAt`); part of the execution name, so each
   * planned retry is its own execution while a re-announce of the same one is not.
   */
  dueAt: number;
}

/** After a new OAuth install of a known, parked installation: verify the token, REGISTERED, connect. */
export interface ReactivationRequest {
  linkId: string;
  appId: string;
  teamId: string;
  /** The installation's token version after the install; part of the execution name. */
  tokenVersion: number;
}

export interface Workflow {
  /** After `delayMs`, apply RETRY to the link and send its connect command. Idempotent per (link, epoch, attempt). */
  scheduleRetry(request: RetryRequest): Promise<void>;
  /** Forget a pending retry of the link, if any. */
  cancelRetry(linkId: string): Promise<void>;
  /** Start the reactivation workflow. Idempotent per (link, token version). */
  startReactivation(request: ReactivationRequest): Promise<void>;
  /** Report the outcome of a connect command that carried a task token. */
  completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void>;
}

/**
 * How a failed connect command ends the attempt a workflow waits on: `revoked` and `inactive`
 * park the link, `transient` backs off and retries, `stale` ends the workflow without effect
 * (the command no longer applies: claim lost, epoch moved, link not connecting).
 */
export type ConnectFailureKind = 'revoked' | 'inactive' | 'transient' | 'stale';

/** What the worker saw, so the workflow can apply the same CONNECT_FAILED the worker would have. */
export interface ConnectCause {
  /** The Slack error or reason string (`invalid_auth`, `http_408`, `hello_timeout`, ...); for `stale`, why. */
  error: string;
  retryAfterMs?: number;
  /** The token version the attempt used: a failure of a replaced token must not park the link. */
  tokenVersion?: number;
}

export type ConnectOutcome = { ok: true } | { ok: false; kind: ConnectFailureKind; cause: ConnectCause };
