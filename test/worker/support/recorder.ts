import type { CloseCause, ConnectionHandlers, InboundEvent } from '../../../functions/worker/connection';

/** Records every handler call, in order, so tests assert what the worker would have seen. */
export class Recorder implements ConnectionHandlers {
  readonly events: InboundEvent[] = [];
  readonly refreshes: string[] = [];
  readonly notices: string[] = [];
  readonly closes: CloseCause[] = [];
  /** Handler names in call order. */
  readonly calls: string[] = [];
  /** Runs inside onEvent (e.g. to ack). */
  onEventHook: ((e: InboundEvent) => void) | undefined;

  onEvent = (e: InboundEvent): void => {
    this.calls.push('event');
    this.events.push(e);
    this.onEventHook?.(e);
  };

  onRefresh = (reason: string): void => {
    this.calls.push('refresh');
    this.refreshes.push(reason);
  };

  onDisconnectNotice = (reason: string): void => {
    this.calls.push('notice');
    this.notices.push(reason);
  };

  onClose = (cause: CloseCause): void => {
    this.calls.push('close');
    this.closes.push(cause);
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The settled outcome of a promise, for asserting rejections by their fields. */
export function settled<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}
