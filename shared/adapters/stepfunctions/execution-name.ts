import { createHash } from 'node:crypto';
import type { ReactivationRequest, RetryRequest } from '../../ports';

/** Step Functions: 1-80 characters; CloudWatch logging needs plain ASCII letters, digits, `-`, `_` (and `.` is allowed). */
const MAX_LENGTH = 80;
const SAFE = /^[A-Za-z0-9._-]+$/;

/**
 * A deterministic execution name, so a duplicate start of the same transition is refused by
 * Step Functions (and deduplicated by the embedded adapter). Link ids use `:`, which names may
 * not contain; it becomes `.`, which link id segments never contain. Anything else unsafe, or a
 * name too long, is replaced and suffixed with a hash of the raw name, so two different raw names
 * can never collapse into one.
 */
export function executionName(parts: ReadonlyArray<string | number>): string {
  const raw = parts.map(String).join('.').replaceAll(':', '.');
  if (SAFE.test(raw) && raw.length <= MAX_LENGTH) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 10);
  const cleaned = raw.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_LENGTH - hash.length - 1);
  return `${cleaned}-${hash}`;
}

/**
 * `retry.<link>.e<epoch>.a<attempt>.t<dueAt>`: one restart per planned retry. Epoch and attempt
 * alone did not tell retries apart: a stable link's drop is always attempt 0 and the epoch moves
 * only on a claim, so a second retry at attempt 0 in one epoch (an OWNER_LOST while the first
 * execution still waited on its connect; the sweeper's re-announce of a retry whose execution had
 * ended) got a name Step Functions had already used and was refused, and the link sat in backoff
 * with nothing coming. The due time is what the machine plans anew for each retry; a re-announce
 * of the same pending retry keeps it (`planPending`), so that one still deduplicates.
 */
export const restartExecutionName = (request: Pick<RetryRequest, 'linkId' | 'epoch' | 'attempt' | 'dueAt'>): string =>
  executionName(['retry', request.linkId, `e${request.epoch}`, `a${request.attempt}`, `t${request.dueAt}`]);

/** `reactivate.<link>.v<tokenVersion>`: one reactivation per link and installed token. */
export const reactivationExecutionName = (request: Pick<ReactivationRequest, 'linkId' | 'tokenVersion'>): string =>
  executionName(['reactivate', request.linkId, `v${request.tokenVersion}`]);
