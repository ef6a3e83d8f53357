import type { CloseCause, SlackConnection } from './connection/types';
import type { OpenedSocket } from './open-link-socket';

/** A connect started ahead of the event that will ask for it (see `LinkRunner.prepare`). */
export type PreparedSocket = Promise<OpenedSocket>;

/**
 * Where a runner's socket stands. Each phase holds exactly what it needs, so what must not happen
 * (two connects in flight, a socket held after stop, a replacement without an open link) cannot
 * be written down. The link's own state lives in the store; this is only the socket's.
 *
 * ```
 *   down ──connect──▶ connecting ──hello──▶ open ──replaceSocket──▶ replacing ──hello──▶ open
 *    ▲                     │ failed           │ Slack closed it          │ failed: open (old kept)
 *    └─────────────────────┴──────────────────┘◀─────────────────────────┘ or down (old lost)
 *   any ──stop──▶ stopped
 * ```
 *
 * Sockets on their way out after a swap (`retiring`) and events in flight are not phases: they
 * overlap any of them, and the runner keeps them beside the phase only while they exist.
 */
export type SocketPhase =
  /**
   * No socket and no connect in flight: a runner before its first connect, or a link whose socket
   * dropped (DROPPED being written, then the in-place retry). `next` is that retry's socket,
   * started early because the machine's answer is certain.
   */
  | { readonly is: 'down'; readonly next?: PreparedSocket }
  /** The one connect in flight (for a hand-off: our socket opening before the claim moves). */
  | { readonly is: 'connecting' }
  /** The socket said hello. `next`: the replacement a REFRESH being written will ask for. */
  | { readonly is: 'open'; readonly socket: SlackConnection; readonly next?: PreparedSocket }
  /**
   * Make-before-break: the replacement is opening while `socket` still serves. If Slack closes
   * the old socket first, `socket` is gone and `lost` says how; the replacement's outcome decides
   * whether that was a drop.
   */
  | { readonly is: 'replacing'; readonly socket?: SlackConnection; readonly lost?: CloseCause }
  /** Final: every socket closed, the worker forgot the runner. */
  | { readonly is: 'stopped' };

// The phases that hold nothing are shared: an idle runner allocates only its `open` phase.
export const DOWN: SocketPhase = Object.freeze({ is: 'down' });
export const CONNECTING: SocketPhase = Object.freeze({ is: 'connecting' });
export const STOPPED: SocketPhase = Object.freeze({ is: 'stopped' });

export const downWith = (next: PreparedSocket | undefined): SocketPhase => (next ? { is: 'down', next } : DOWN);
export const openOn = (socket: SlackConnection, next?: PreparedSocket): SocketPhase => (next ? { is: 'open', socket, next } : { is: 'open', socket });

/** The socket serving the link in this phase, if any. */
export const servingSocket = (phase: SocketPhase): SlackConnection | undefined =>
  phase.is === 'open' || phase.is === 'replacing' ? phase.socket : undefined;

/** The connect started ahead in this phase, if any. */
export const preparedIn = (phase: SocketPhase): PreparedSocket | undefined => (phase.is === 'open' || phase.is === 'down' ? phase.next : undefined);
