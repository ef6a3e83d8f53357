import type { LinkProtocol } from '../../shared/domain';

/** What the bench runs: three systems under test, and a raw `ws` client as the memory baseline. */
export type SystemName = 'lifeline' | 'socketModeClient' | 'rtmClient';
export type ChildSystemName = SystemName | 'rawWs';

export type { LinkProtocol };

/** One link to hold: an RTM workspace or a Socket Mode app, as the simulator created it. */
export interface LinkTarget {
  protocol: LinkProtocol;
  /** The simulator's ground-truth key: team id (RTM) or app id (Socket Mode). */
  key: string;
  appId: string;
  teamId?: string;
  /** RTM: the workspace's classic bot token. Socket Mode: the app-level token. */
  token: string;
  /** Raw baseline only: an `rtm.connect` URL fetched by the parent, so the child holds nothing but sockets. */
  url?: string;
}

/** A bench event reached the system's handler (the bot's side). */
export interface Delivery {
  marker: string;
  at: number;
}

/** Where a system finds Slack and DynamoDB, and where it reports events its handler got. */
export interface SystemContext {
  apiUrl: string;
  /** Lifeline only: the link table on dynalite (run by the parent, as DynamoDB is outside the worker). */
  dynamo?: { endpoint: string; tableName: string };
  onDelivery(delivery: Delivery): void;
}

/**
 * A system under test holding many links. `prepare` does what happens before the system is
 * running (creating clients, registering links); `start` is the moment cold start is timed from.
 */
export interface BenchSystem {
  readonly name: ChildSystemName;
  readonly protocols: readonly LinkProtocol[];
  prepare(targets: readonly LinkTarget[]): Promise<void>;
  start(): Promise<void>;
  /**
   * A cold start from nothing (`coldStartFromNothing5000Ms`): registration included. Lifeline
   * starts its worker, then registers the links while the worker already claims them. Absent (the
   * peers keep no state), `prepare` then `start`.
   */
  startFromNothing?(targets: readonly LinkTarget[]): Promise<void>;
  stop(): Promise<void>;
  /** Anything worth reporting about the system's own state (e.g. a worker that fenced itself). */
  status?(): Record<string, unknown>;
  /** Done with the work its links started (Lifeline: every OPENED written to the store), so memory is read at rest. */
  settled?(): boolean;
}

/** Events carry this field in their inner event so every system's handler can report them alike. */
export const MARKER_FIELD = 'bench_marker';

/** Reads the bench marker out of an RTM frame or an Events API payload, wherever it sits. */
export function markerOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const direct = record[MARKER_FIELD];
  if (typeof direct === 'string') return direct;
  return markerOf(record.event);
}
