import type { LinkProtocol } from '../domain';

/** One Slack event or Socket Mode envelope, on its way to the bot. */
export interface SinkEvent {
  /** Dedupe key: `event_id` for Events API payloads, `envelope_id` otherwise, RTM `team:channel:ts`. */
  id: string;
  linkId: string;
  protocol: LinkProtocol;
  appId: string;
  teamId?: string;
  /** `events_api`, `slash_commands`, `interactive`, or the RTM event type. */
  kind: string;
  payload: unknown;
  receivedAt: number;
}

/**
 * Where events go. EventBridge `PutEvents` on AWS (batched); a handler module or an in-process
 * callback embedded. `deliver` resolves only once the sink has accepted every event: the worker
 * acks a Socket Mode envelope after that, so a crash loses nothing (Slack redelivers).
 */
export interface Sink {
  deliver(events: SinkEvent[]): Promise<void>;
}

export class SinkError extends Error {
  readonly code = 'SINK_FAILED';

  constructor(message: string, readonly failedIds: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
