import type { OpenedSocket } from './open-link-socket';
import type { PreparedSocket } from './socket-phase';

/**
 * Starts the next socket now, while the event that asks for it is still being written: the
 * store round trips and the connect overlap instead of adding up. Only where the machine's
 * answer is certain (a refresh of an open link; the first drop of a stable one); a guess that
 * turns out wrong costs one socket, closed unused: `expire` is called after `ttlMs` (the
 * worker's `preparedTtlMs`) to close it if nobody took it.
 */
export function prepareSocket(open: () => Promise<OpenedSocket>, expire: (prepared: PreparedSocket) => void, ttlMs: number): PreparedSocket {
  const prepared = open();
  setTimeout(() => expire(prepared), ttlMs).unref?.();
  return prepared;
}

/** Closes the prepared socket once it is open, if it opens (nobody will take it). */
export function closePrepared(prepared: PreparedSocket, reason: string): void {
  void prepared.then((opened) => ('connection' in opened ? opened.connection.close(reason) : undefined));
}

/**
 * The prepared socket if it is still good, else the attempt made now. A prepared socket is a
 * head start: it may have been tried before the cause of the drop was over (a Slack restart
 * refuses connections for a moment). A failure Slack answered is the attempt (its call was
 * spent, and the machine must classify it); one Slack never answered says nothing about a
 * connect now, so it is made afresh. Taking it as the attempt sent every stable link of a
 * restart to the workflow instead of reconnecting it in place.
 */
export async function preparedOrFresh(prepared: PreparedSocket | undefined, open: () => Promise<OpenedSocket>): Promise<OpenedSocket> {
  if (prepared) {
    const opened = await prepared;
    if ('connection' in opened ? opened.connection.isOpen : opened.unanswered !== true) return opened;
  }
  return open();
}
