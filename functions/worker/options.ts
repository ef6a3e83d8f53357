import { DEFAULT_CONNECT_TIMEOUT_SECONDS } from '../../shared/adapters/stepfunctions';
import type { LinkPolicy, SnapshotVersions } from '../../shared/domain';

/** A worker's tunables. Every field has a default; `main.ts` reads overrides from the environment. */
export interface WorkerOptions {
  /** Links this worker holds at most. Default 5,000. */
  capacity: number;
  /** A peer whose heartbeat counter has not moved for this long (on our clock) is dead. Default 20,000. */
  leaseMs: number;
  /**
   * How often the worker renews its own heartbeat and watches its peers. Default leaseMs / 4
   * (5,000: 12 writes a minute per worker, whatever the number of links).
   */
  heartbeatMs: number;
  /** How often the worker re-reads the links it holds, to let go of any it no longer owns. Default 30,000. */
  reconcileMs: number;
  /**
   * How long the restart workflow waits for a worker to answer a connect command before it counts
   * the attempt failed (the ASL's `TimeoutSeconds`, `DEFAULT_CONNECT_TIMEOUT_SECONDS`). Until then
   * a `connecting` link of ours without a runner is the workflow's, not an orphan: reconcile
   * leaves it alone for this long plus a lease. Default 120,000.
   */
  connectTimeoutMs: number;
  /** How long a drain waits for peers to take over its links before giving them up. Default 20,000. */
  drainTimeoutMs: number;
  /**
   * Connect commands being claimed at once, at most. Default 512: a 5,000-link cold start opens
   * in ~21 s (64 took ~78 s), and heartbeats have their own client, so claims cannot starve them.
   */
  maxClaimsInFlight: number;
  /**
   * Connect attempts (URL call, socket, hello) in flight at once, at most (`connect-gate.ts`); the
   * rest wait their turn, not charged to their timeouts. The gate halves its bound while Slack
   * does not answer in time and grows it back by one per answer, up to this. Default 512: at 128
   * a 2,000-link cold start on a 2-core box took 20 s instead of 10 (each attempt waits on hello).
   */
  maxConnectsInFlight: number;
  /**
   * A connect command still being handled this long after it was received is kept hidden in the
   * queue (`ReceivedCommand.keepHidden`), and again at each such interval, for `commandHoldMs`:
   * a registration or hand-off acks only once its socket opened and its write landed, which on a
   * loaded machine can outlast the embedded queue's 10 s visibility timeout; a second worker
   * would then open a second socket (a Tier 1 call) for the same link. Defaults 3,000 and 20,000:
   * a worker that dies mid-command leaves it hidden 20 s at most (the embedded queue's own
   * timeout is 10 s, the deployed SQS queue's 60 s).
   */
  commandHoldEveryMs: number;
  commandHoldMs: number;
  /** Connect commands received per poll, and how long a poll waits. */
  receiveBatch: number;
  receiveWaitMs: number;
  /** Sink batching: at most this many events, or this long, per delivery. */
  sinkBatchSize: number;
  sinkBatchDelayMs: number;
  /**
   * Links this worker hands to peers per minute at most while rebalancing (a drain is not
   * bounded: it must finish). Default 600: a worker 2,500 over its share is even in ~4 minutes,
   * each move one `rtm.connect` / `apps.connections.open` for its workspace or app. 0: never.
   */
  rebalanceMovesPerMinute: number;
  /** How far above its share (percent) a worker may hold before giving links away. Default 5. */
  rebalanceTolerancePercent: number;
  /**
   * How long a link that moved is not moved again by rebalancing (no ping-pong). Default 60,000:
   * links a worker took by ordinary claims after a peer died can leave it above its share with only
   * links that just moved in; at 10 minutes it stayed uneven that long (12/10/8 of 30).
   */
  rebalanceCooldownMs: number;
  /** How often the worker looks at the fleet's numbers to rebalance. Default 1,000 (no store call: heartbeats bring them). */
  rebalanceIntervalMs: number;
  /**
   * How often the worker looks for links parked elsewhere that it holds (`park-watch.ts`), to
   * close their sockets without waiting for reconcile. Default 0 (off): embedded workers hear of
   * a park over IPC; on AWS `main.ts` turns it on (2,000 unless LIFELINE_PARK_WATCH_MS says).
   */
  parkWatchMs: number;
  /** How often the worker reports the links it holds, by state (`LinksByState`). Default 60,000. */
  metricsIntervalMs: number;
  /**
   * A socket started ahead of the event that will ask for it (`prepared-socket.ts`) and not taken
   * within this long, with no event of its link still being applied, is closed. Default 10,000.
   */
  preparedTtlMs: number;
  /** Overrides of the machine's backoff policy. */
  policy?: Partial<LinkPolicy>;
  /** The snapshot versions this worker reads and writes; absent, this release's. Tests run an older release's beside it. */
  versions?: SnapshotVersions;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  capacity: 5_000,
  leaseMs: 20_000,
  heartbeatMs: 5_000,
  reconcileMs: 30_000,
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_SECONDS * 1_000,
  drainTimeoutMs: 20_000,
  maxClaimsInFlight: 512,
  maxConnectsInFlight: 512,
  commandHoldEveryMs: 3_000,
  commandHoldMs: 20_000,
  receiveBatch: 10,
  receiveWaitMs: 1_000,
  sinkBatchSize: 10,
  sinkBatchDelayMs: 20,
  metricsIntervalMs: 60_000,
  preparedTtlMs: 10_000,
  rebalanceMovesPerMinute: 600,
  rebalanceTolerancePercent: 5,
  rebalanceCooldownMs: 60_000,
  rebalanceIntervalMs: 1_000,
  parkWatchMs: 0,
};

export function resolveWorkerOptions(input: Partial<WorkerOptions> = {}): WorkerOptions {
  const merged = { ...DEFAULT_WORKER_OPTIONS, ...input };
  if (input.heartbeatMs === undefined && input.leaseMs !== undefined) merged.heartbeatMs = Math.max(50, Math.floor(input.leaseMs / 4));
  if (merged.rebalanceMovesPerMinute < 0 || merged.rebalanceTolerancePercent < 0) throw new RangeError('rebalanceMovesPerMinute and rebalanceTolerancePercent must not be negative');
  if (merged.commandHoldEveryMs >= merged.commandHoldMs) throw new RangeError('commandHoldEveryMs must be under commandHoldMs, or a held command shows between two holds');
  if (merged.heartbeatMs * 2 >= merged.leaseMs) throw new RangeError('heartbeatMs must be under half of leaseMs, or a slow renewal looks like death');
  return merged;
}
