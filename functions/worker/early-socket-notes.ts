import type { CloseCause, SlackConnection } from './connection/types';

/** What a socket said before its runner adopted it: a refresh, or its close. */
export interface EarlyNote {
  refresh?: string;
  lost?: CloseCause;
}

/**
 * What a socket said before the runner switched to it. A socket prepared ahead opens while the
 * event asking for it is still being written, and a fresh one may be refreshed or closed in the
 * same read as its hello; the runner acts on it once the socket is adopted, as if it had come
 * just after the switch. Without this a socket Slack refreshed while still being adopted kept
 * serving until Slack closed it, and that close was written as a drop. One slot: at most one
 * socket is being adopted at a time, so a note from another socket replaces it.
 */
export class EarlySocketNotes {
  private slot: ({ connection: SlackConnection } & EarlyNote) | undefined;

  /** A socket neither serving nor retiring spoke: one being opened, to be adopted (or discarded). */
  note(connection: SlackConnection, note: { refresh: string } | { lost: CloseCause }): void {
    const earlier = this.slot?.connection === connection ? this.slot : { connection };
    this.slot = { ...earlier, ...note };
  }

  /** What `connection` said before it was adopted, if anything; the slot is empty afterwards. */
  take(connection: SlackConnection): EarlyNote | undefined {
    const slot = this.slot;
    this.slot = undefined;
    return slot?.connection === connection ? slot : undefined;
  }

  /** The runner stopped: nothing will be adopted. */
  clear(): void {
    this.slot = undefined;
  }
}
