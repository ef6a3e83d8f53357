import type { SimContext } from '../context';
import type { Session } from './session';

/** Applies an armed hello fault (withhold or delay) and records the connect outcome. */
export function applyHelloFault(ctx: SimContext, session: Session, sendHello: () => void): void {
  const fault = ctx.faults.takeHelloFault(session.protocol, session.key);
  const record = (outcome: 'hello' | 'hello_delayed' | 'hello_withheld'): void =>
    ctx.truth.record(ctx.truth.socketConnects, {
      at: ctx.clock.now(), protocol: session.protocol, key: session.key, socketId: session.id, outcome,
    });
  if (!fault) {
    record('hello');
    sendHello();
  } else if (fault.mode === 'withhold') {
    record('hello_withheld');
  } else {
    record('hello_delayed');
    session.timer = ctx.scheduler.after(fault.delayMs, sendHello);
  }
}
