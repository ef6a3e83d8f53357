import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GatedRequestHandler } from './gated-request-handler';

// Shared by the coordination adapters (worker registry, event dedupe); the link store keeps its own.

/** A plain client is wrapped in a document client; a document client is used as given. */
export const documentClient = (client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient =>
  client instanceof DynamoDBDocumentClient ? client : DynamoDBDocumentClient.from(client);

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** How long one store call may take, and how many attempts the SDK makes. */
export interface StoreCallBounds {
  /**
   * One attempt, from the request's creation (a wait for a pooled connection included) to its
   * answer. Default 3,000: a store answering in 2 s still works; a partition that holds requests
   * without a reset fails the call instead of hanging it.
   */
  attemptTimeoutMs?: number;
  /** Attempts per call, the first included (the SDK's retry with backoff, throttling included). Default 2. */
  maxAttempts?: number;
}

export const DEFAULT_STORE_ATTEMPT_TIMEOUT_MS = 3_000;

/**
 * The client options that bound every call: without them a held request (a partition that drops
 * packets, no reset) waits forever, and so does every call queued behind it in the pool. The SDK's
 * `requestTimeout` only warns unless `throwOnRequestTimeout` is set.
 */
export function boundedStoreCalls(bounds: StoreCallBounds = {}): Pick<DynamoDBClientConfig, 'requestHandler' | 'maxAttempts'> {
  const timeout = bounds.attemptTimeoutMs ?? DEFAULT_STORE_ATTEMPT_TIMEOUT_MS;
  // At most 50 requests in the pool at once (the SDK's default pool): the rest wait in the gate,
  // so a burst's backlog is not charged to the store's timer (see `GatedRequestHandler`). The
  // wait is bounded too: ten attempts' worth, so a held store still fails every call.
  return {
    maxAttempts: bounds.maxAttempts ?? 2,
    requestHandler: GatedRequestHandler.create({ requestTimeout: timeout, connectionTimeout: timeout, throwOnRequestTimeout: true, slots: 50, queueTimeoutMs: timeout * 10 }),
  };
}

/** Node's error codes for a store that cannot be reached (refused, reset, unreachable, timed out). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** DynamoDB's answers that mean "not now" rather than "no". */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException']);

/**
 * Whether a store call failed because the store is away (unreachable, too slow, throttling, a
 * server fault), as opposed to an answer (a condition failure, a validation error, access
 * denied). The worker degrades on the first kind (keeps its sockets, retries) and acts on the
 * second. The one table of this decision: callers never read messages.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name } = error;
  if (name === 'TimeoutError' || name === 'AbortError' || THROTTLING.has(name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const meta = error as { $fault?: unknown; $metadata?: { httpStatusCode?: number } };
  if (meta.$fault === 'server') return true;
  const status = meta.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  // An SDK error wrapping a network failure keeps it as the cause.
  return error.cause !== undefined && error.cause !== error && isStoreUnavailable(error.cause);
}
