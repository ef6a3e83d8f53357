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

/** `retry.<link>.e<epoch>.a<attempt>`: one restart per link, epoch and attempt. */
export const restartExecutionName = (request: Pick<RetryRequest, 'linkId' | 'epoch' | 'attempt'>): string =>
  executionName(['retry', request.linkId, `e${request.epoch}`, `a${request.attempt}`]);

/** `reactivate.<link>.v<tokenVersion>`: one reactivation per link and installed token. */
export const reactivationExecutionName = (request: Pick<ReactivationRequest, 'linkId' | 'tokenVersion'>): string =>
  executionName(['reactivate', request.linkId, `v${request.tokenVersion}`]);
