/**
 * The restart and reactivation transitions: durable timers and connect orchestration. Step
 * Functions on AWS (issue 5); an in-process implementation that honours delays until then.
 */
export interface RetryRequest {
  linkId: string;
  /** The link's epoch when the retry was scheduled; part of the execution name. */
  epoch: number;
  delayMs: number;
  attempt: number;
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

export type ConnectOutcome =
  | { ok: true }
  /** Named failures the restart workflow catches: `Link.Revoked`, `Link.Inactive`, `Link.Stale`, `Link.Transient`. */
  | { ok: false; error: 'Link.Revoked' | 'Link.Inactive' | 'Link.Stale' | 'Link.Transient'; cause: string };
