import type { SlackConnection } from './connection/types';

/**
 * Events still on their way to the sink, per socket: a retiring socket stays open until its own
 * are acked. A socket's entry goes with its last event, and the runner drops the whole object once
 * it is empty, so an idle link holds none.
 */
export class InFlight {
  private readonly bySocket = new Map<SlackConnection, Set<Promise<void>>>();

  get isEmpty(): boolean {
    return this.bySocket.size === 0;
  }

  /** Tracks a delivery; resolves once it is through and forgotten. */
  async add(socket: SlackConnection, delivery: Promise<void>): Promise<void> {
    let pending = this.bySocket.get(socket);
    if (!pending) this.bySocket.set(socket, (pending = new Set()));
    pending.add(delivery);
    await delivery.catch(() => undefined);
    pending.delete(delivery);
    if (pending.size === 0 && this.bySocket.get(socket) === pending) this.bySocket.delete(socket);
  }

  on(socket: SlackConnection): ReadonlySet<Promise<void>> | undefined {
    return this.bySocket.get(socket);
  }

  forget(socket: SlackConnection): void {
    this.bySocket.delete(socket);
  }
}

/**
 * Waits until `pending()` names nothing, or `graceMs` passed. Re-read each round: events may still
 * arrive while the socket winds down. A timer bounds the wait, so no clock is read.
 */
export async function settle(pending: () => ReadonlySet<Promise<void>> | undefined, graceMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  try {
    for (let now = pending(); now && now.size > 0; now = pending()) {
      if ((await Promise.race([Promise.allSettled([...now]), late])) === 'late') return;
    }
  } finally {
    clearTimeout(timer);
  }
}
