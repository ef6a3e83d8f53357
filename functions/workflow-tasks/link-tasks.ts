import { delaySecondsOf } from '../../shared/adapters/stepfunctions/contract';
import type { LinkEvent } from '../../shared/domain';
import type { LinkRecord } from '../../shared/ports';
import { decodeConnectCause, type ConnectCause } from '../../shared/adapters/stepfunctions/connect-cause';
import type { WorkflowTaskDeps } from './deps';
import { applyInWorkflow } from './workflow-effects';

/** Where a restart loop stands: the state data of the definitions' Wait / Connect states. */
export interface LoopState {
  linkId: string;
  epoch: number;
  attempt: number;
  delaySeconds: number;
  /** Go on (connect, or wait and retry); false: the link moved on, or is parked. */
  proceed: boolean;
}

export interface LinkRef {
  linkId: string;
  epoch: number;
  attempt?: number;
}

/** A caught connect failure: `$.failure` as Step Functions writes it. */
export interface FailedConnect extends LinkRef {
  failure: { Error?: string; Cause?: string };
}

const loopState = (link: LinkRecord, proceed: boolean): LoopState => ({
  linkId: link.id,
  epoch: link.epoch,
  attempt: link.attempt,
  delaySeconds: delaySecondsOf(link.snapshot.context.retryDelayMs ?? 0),
  proceed,
});

const stopped = (ref: LinkRef): LoopState => ({ linkId: ref.linkId, epoch: ref.epoch, attempt: ref.attempt ?? 0, delaySeconds: 0, proceed: false });

/** The Wait is over: RETRY, unless the link moved on (gone, another epoch, or no longer in backoff). */
export async function applyRetry(deps: WorkflowTaskDeps, ref: LinkRef): Promise<LoopState> {
  const current = await deps.links.get(ref.linkId);
  if (!current) return stopped(ref);
  const stillDue = (link: LinkRecord) => link.epoch === ref.epoch && link.state === 'backoff';
  // Stepped on the record just read: the write is conditional on its version anyway.
  const result = await applyInWorkflow(deps, ref.linkId, { type: 'RETRY' }, { known: current, when: stillDue });
  if (result.skipped) return stopped(ref);
  return loopState(result.link, result.changed && result.link.state === 'connecting');
}

/**
 * Is this failure still about the link's current attempt? The command carried epoch E; the worker
 * that claimed it made it E+1; a timeout may come before any claim (E). Any later epoch, or a
 * link no longer connecting, means another attempt has taken over and this failure says nothing.
 */
const current = (link: LinkRecord | undefined, ref: LinkRef, cause: ConnectCause): link is LinkRecord => {
  if (!link || link.state !== 'connecting' || (link.epoch !== ref.epoch && link.epoch !== ref.epoch + 1)) return false;
  const tokenVersion = link.snapshot.context.tokenVersion;
  return cause.tokenVersion === undefined || tokenVersion === undefined || cause.tokenVersion >= tokenVersion;
};

/** The cause the catch carried; a timeout is `connect_timeout`, any other unnamed failure its error name. */
const causeOf = (input: FailedConnect): ConnectCause => {
  const name = input.failure.Error ?? 'States.TaskFailed';
  if (name === 'States.Timeout') return { error: 'connect_timeout' };
  return decodeConnectCause(input.failure.Cause, name);
};

async function applyFailure(deps: WorkflowTaskDeps, input: FailedConnect, event: (cause: ConnectCause) => LinkEvent): Promise<LinkRecord | undefined> {
  const cause = causeOf(input);
  const link = await deps.links.get(input.linkId);
  // Judged again on whatever record is stepped: a late failure never lands on a newer attempt.
  const result = link && (await applyInWorkflow(deps, input.linkId, event(cause), { known: link, when: (l) => current(l, input, cause) }));
  if (!result || result.skipped) {
    deps.log.info('connect failure ignored: the link moved on', { linkId: input.linkId, epoch: input.epoch, error: cause.error });
    return undefined;
  }
  return result.changed ? result.link : undefined;
}

/** Transient failure or timeout: CONNECT_FAILED; loop while the machine asks for a retry. */
export async function applyConnectFailed(deps: WorkflowTaskDeps, input: FailedConnect): Promise<LoopState> {
  const link = await applyFailure(deps, input, (cause) => ({ type: 'CONNECT_FAILED', ...cause }));
  return link ? loopState(link, link.state === 'backoff') : stopped(input);
}

export async function applyRevoked(deps: WorkflowTaskDeps, input: FailedConnect): Promise<{ linkId: string; parked: boolean }> {
  const link = await applyFailure(deps, input, (cause) => ({ type: 'REVOKED', reason: cause.error }));
  return { linkId: input.linkId, parked: link?.state === 'revoked' };
}

export async function applyDisabled(deps: WorkflowTaskDeps, input: FailedConnect): Promise<{ linkId: string; parked: boolean }> {
  const link = await applyFailure(deps, input, (cause) => ({ type: 'DISABLED', reason: cause.error }));
  return { linkId: input.linkId, parked: link?.state === 'inactive' };
}
