import type { RawData } from 'ws';
import type { SimContext } from '../context';
import type { Ticket } from './tickets';
import type { Session } from './session';
import { applyHelloFault } from './hello';

/**
 * The RTM conversation after the upgrade (SLACK-PROTOCOL §1.4): hello, replay of events queued
 * since rtm.connect, ping→pong, message replies, write throttling, goodbye at max age or when idle.
 */
export function startRtmSession(ctx: SimContext, session: Session, ticket: Ticket): void {
  ctx.sockets.add(session);
  session.ws.on('close', (code) => {
    ctx.tickets.settle(ticket);
    ctx.sockets.remove(session, code);
  });
  session.ws.on('error', () => undefined);
  session.ws.on('message', (data, isBinary) => {
    if (!isBinary) onClientFrame(ctx, session, data);
  });
  applyHelloFault(ctx, session, () => sendHello(ctx, session, ticket));
}

function sendHello(ctx: SimContext, session: Session, ticket: Ticket): void {
  if (!session.open || session.ending) return;
  session.helloAt = ctx.clock.now();
  session.send({ type: 'hello' });
  for (const event of ticket.pending ?? []) session.send(event);
  ctx.tickets.settle(ticket);
  scheduleAgeCheck(ctx, session);
}

/** One timer per socket at most: the earlier of max age and the idle-workspace deadline. */
function scheduleAgeCheck(ctx: SimContext, session: Session): void {
  const { maxAgeMs, idleGoodbyeMs } = ctx.options.rtm;
  const ageDeadline = session.openedAt + maxAgeMs;
  const idleDeadline = idleGoodbyeMs > 0
    ? Math.max(session.openedAt, ctx.events.lastActivity(session.key)) + idleGoodbyeMs
    : Infinity;
  const at = Math.min(ageDeadline, idleDeadline);
  session.timer = ctx.scheduler.at(at, () => {
    const now = ctx.clock.now();
    if (now >= ageDeadline) return goodbye(ctx, session, 'max_age');
    const idleSince = Math.max(session.openedAt, ctx.events.lastActivity(session.key));
    if (idleGoodbyeMs > 0 && now - idleSince >= idleGoodbyeMs) return goodbye(ctx, session, 'idle_workspace');
    scheduleAgeCheck(ctx, session);
  });
}

/**
 * `goodbye`, then the server closes after a delay, as Slack documents (SLACK-PROTOCOL §1.4). Until
 * that close the socket is still the workspace's and events still reach it: Slack documents no
 * cut-off at `goodbye`, only that the server "will close the connection after an unspecified time".
 */
export function goodbye(ctx: SimContext, session: Session, reason: string, by: 'server' | 'fault' = 'server'): void {
  // A black-holed socket's goodbye and close would both be eaten, and its timer is the black
  // hole's release: cancelling it for a close that cannot land would keep it counted open forever.
  if (session.ending || session.saidGoodbye || session.blackHoled) return;
  session.markGoodbye(by, `goodbye:${reason}`);
  ctx.scheduler.cancel(session.timer);
  session.send({ type: 'goodbye' });
  session.timer = ctx.scheduler.after(ctx.options.rtm.goodbyeCloseDelayMs, () => {
    session.close(1000);
  });
}

function onClientFrame(ctx: SimContext, session: Session, data: RawData): void {
  let msg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(data.toString());
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
    msg = parsed as Record<string, unknown>;
  } catch {
    return;
  }
  const id = typeof msg.id === 'number' ? msg.id : undefined;
  if (!allowWrite(ctx, session)) {
    session.strikes += 1;
    if (session.strikes >= ctx.options.rtm.writeStrikesBeforeClose) {
      session.markEnding('server', 'write_rate');
      session.close(1008, 'rate limited');
      return;
    }
    replyError(session, id, -1, 'slow down, too many messages...');
    return;
  }
  switch (msg.type) {
    case 'ping': {
      // Every extra scalar field comes back in the pong (SLACK-PROTOCOL §1.4).
      const echo: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(msg)) {
        if (k !== 'id' && k !== 'type' && (v === null || typeof v !== 'object')) echo[k] = v;
      }
      session.send({ ...echo, type: 'pong', reply_to: id });
      return;
    }
    case 'typing':
      return;
    case 'message':
      if (typeof msg.text !== 'string' || msg.text.length === 0) return replyError(session, id, 2, 'message text is missing');
      if (msg.text.length > 4000) return replyError(session, id, 3, 'message text too long');
      session.send({ ok: true, reply_to: id, ts: slackTs(ctx.clock.now()), text: msg.text });
      return;
    default:
      replyError(session, id, 3, 'unsupported message type');
  }
}

function allowWrite(ctx: SimContext, session: Session): boolean {
  const { writesPerSecond, writeBurst } = ctx.options.rtm;
  const now = ctx.clock.now();
  session.writeTokens = session.writeAt === 0
    ? writeBurst
    : Math.min(writeBurst, session.writeTokens + ((now - session.writeAt) / 1000) * writesPerSecond);
  session.writeAt = now;
  if (session.writeTokens < 1) return false;
  session.writeTokens -= 1;
  return true;
}

function replyError(session: Session, id: number | undefined, code: number, msg: string): void {
  session.send({ ok: false, reply_to: id, error: { code, msg } });
}

let tsSeq = 0;
export function slackTs(nowMs: number): string {
  tsSeq = (tsSeq + 1) % 1_000_000;
  return `${Math.floor(nowMs / 1000)}.${String(tsSeq).padStart(6, '0')}`;
}
