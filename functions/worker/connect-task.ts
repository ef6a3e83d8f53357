import { classifySlackFailure } from '../../shared/domain';
import type { ConnectFailureKind, ConnectOutcome } from '../../shared/ports';
import type { WorkerDeps } from './deps';

/**
 * A connect command with a task token: a workflow waits for its outcome. The worker reports a
 * failure by name and leaves applying it to the workflow's catch, so it is applied exactly once.
 */
export function failedConnect(error: string, extra: { retryAfterMs?: number; tokenVersion?: number } = {}): ConnectOutcome {
  const { kind } = classifySlackFailure(extra.retryAfterMs === undefined ? error : { error, retryAfterMs: extra.retryAfterMs });
  const failure: ConnectFailureKind = kind === 'revoked' || kind === 'inactive' ? kind : 'transient';
  return { ok: false, kind: failure, cause: { error, ...extra } };
}

/** The command no longer applies (claim lost, epoch moved, link not connecting): the workflow ends without effect. */
export const staleConnect = (why: string): ConnectOutcome => ({ ok: false, kind: 'stale', cause: { error: why } });

/** Reports an outcome; a lost report only costs the workflow its task timeout, so it is logged, never thrown. */
export async function reportConnect(deps: WorkerDeps, taskToken: string | undefined, outcome: ConnectOutcome, linkId: string): Promise<void> {
  if (taskToken === undefined) return;
  try {
    await deps.workflow.completeConnect(taskToken, outcome);
  } catch (error) {
    deps.log.warn('could not report a connect outcome; the workflow will time the task out', { linkId, outcome: outcome.ok ? 'ok' : outcome.kind, error });
  }
}
