import type { SimContext } from '../context';
import type { Ticket } from './tickets';
import type { Session } from './session';
import { applyHelloFault } from './hello';

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

/**
 * The Socket Mode conversation after the upgrade (SLACK-PROTOCOL §2): the per-app limit, hello
 * with debug and connection info, warning then refresh at end of life, envelope acks.
 */
export function startSocketModeSession(ctx: SimContext, session: Session, _ticket: Ticket): void {
  const app = ctx.registry.apps.get(session.key);
  session.ws.on('error', () => undefined);
  if (!app || !app.socketMode) {
    record(ctx, session, 'link_disabled');
    sendDisconnect(ctx, session, 'link_disabled', 'server');
    return;
  }
  const sm = ctx.options.socketMode;
  const live = ctx.sockets.of(app.appId).filter((s) => !s.ending);
  if (live.length >= sm.maxConnectionsPerApp) {
    if (sm.tooManyVictim === 'newest') {
      record(ctx, session, 'too_many_websockets');
      sendDisconnect(ctx, session, 'too_many_websockets', 'server', live.length + 1);
      return;
    }
    const oldest = live.reduce((a, b) => (a.openedAt <= b.openedAt ? a : b));
    sendDisconnect(ctx, oldest, 'too_many_websockets', 'server', live.length + 1);
  }
  ctx.sockets.add(session);
  session.ws.on('close', (code) => ctx.sockets.remove(session, code));
  session.ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof msg === 'object' && msg !== null && 'envelope_id' in msg && typeof msg.envelope_id === 'string') {
      ctx.events.ack(app.appId, msg.envelope_id, 'payload' in msg ? msg.payload : undefined, session.id);
    }
  });
  applyHelloFault(ctx, session, () => sendHello(ctx, session));
}

function sendHello(ctx: SimContext, session: Session): void {
  if (!session.open || session.ending) return;
  const sm = ctx.options.socketMode;
  session.helloAt = ctx.clock.now();
  session.send({
    type: 'hello',
    num_connections: ctx.sockets.countOf(session.key),
    debug_info: {
      host: sm.host,
      started: new Date(session.helloAt).toISOString().replace('T', ' ').replace('Z', ''),
      build_number: sm.buildNumber,
      approximate_connection_time: Math.round(session.lifetimeMs / 1000),
    },
    connection_info: { app_id: session.key },
  });
  scheduleLifecycle(ctx, session);
}

/** A `warning` about `warningLeadMs` before the end, then `refresh_requested` (SLACK-PROTOCOL §2.4). */
function scheduleLifecycle(ctx: SimContext, session: Session): void {
  const { warningLeadMs } = ctx.options.socketMode;
  const endAt = session.helloAt + session.lifetimeMs;
  const refresh = (): void => {
    session.timer = undefined;
    sendDisconnect(ctx, session, 'refresh_requested', 'server');
  };
  if (warningLeadMs > 0 && warningLeadMs < session.lifetimeMs) {
    session.timer = ctx.scheduler.at(endAt - warningLeadMs, () => {
      sendDisconnect(ctx, session, 'warning', 'server');
      session.timer = ctx.scheduler.at(endAt, refresh);
    });
  } else {
    session.timer = ctx.scheduler.at(endAt, refresh);
  }
}

/**
 * Sends `disconnect`. Every reason but `warning` ends the socket: the server then closes (1000),
 * drops TCP, or lingers for the client to close, as configured (SLACK-PROTOCOL §2.7).
 */
export function sendDisconnect(ctx: SimContext, session: Session, reason: DisconnectReason, by: 'server' | 'fault',
  numConnections?: number): void {
  const sm = ctx.options.socketMode;
  session.send({
    type: 'disconnect', reason, debug_info: { host: sm.host },
    ...(reason === 'too_many_websockets'
      ? { num_connections: numConnections ?? ctx.sockets.countOf(session.key), connection_info: { app_id: session.key } }
      : {}),
  });
  if (reason === 'warning' || session.ending) return;
  session.markEnding(by, `disconnect:${reason}`);
  ctx.scheduler.cancel(session.timer);
  if (sm.afterDisconnect === 'linger') return;
  session.timer = ctx.scheduler.after(sm.afterDisconnectDelayMs, () => {
    if (sm.afterDisconnect === 'drop') session.drop();
    else session.close(1000);
  });
}

function record(ctx: SimContext, session: Session, outcome: 'link_disabled' | 'too_many_websockets'): void {
  ctx.truth.record(ctx.truth.socketConnects, {
    at: ctx.clock.now(), protocol: 'socket_mode', key: session.key, socketId: session.id, outcome,
  });
}
