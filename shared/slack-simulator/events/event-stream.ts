import type { SimCore } from '../sim-core';
import type { EmitOptions, EmitResult, EmitTarget } from './event-hub';
import type { SlackEvent } from './event-factory';

export interface EventStreamOptions extends EmitOptions {
  /** Events produced per second, spread evenly (every `tickMs`, as many as are due). */
  perSecond: number;
  /** How long the stream runs. */
  durationMs: number;
  /** The pacing step. Default 10 ms. */
  tickMs?: number;
}

export interface EventStreamResult {
  /** Events produced (one per target installation and step; see `emitEvent`). */
  emitted: number;
  /** The Socket Mode envelope of each event, in order (events that went only to RTM or HTTP have none). */
  envelopeIds: string[];
  /** When the first and the last event were produced, on the simulator's clock. */
  startedAt: number;
  endedAt: number;
}

type Emit = (target: string | EmitTarget, event: SlackEvent, opts: EmitOptions) => EmitResult[];

/**
 * A steady load: `perSecond × durationMs / 1000` copies of `event` (each with its own event id
 * and a `ts` of its own, as distinct messages have), produced on the simulator's clock. Each
 * step produces every event that is due by then, so a late timer (a busy process) catches up
 * in a burst instead of lowering the rate; what a bench measures is the system's delivery, and
 * the envelopes' `createdAt` in the ground truth says when each was really produced.
 */
export function streamEvents(core: SimCore, emit: Emit, target: string | EmitTarget, event: SlackEvent, options: EventStreamOptions): Promise<EventStreamResult> {
  const { perSecond, durationMs } = options;
  if (!(perSecond > 0) || !(durationMs > 0) || !Number.isFinite(perSecond * durationMs)) {
    return Promise.reject(new Error('an event stream needs perSecond > 0 and durationMs > 0'));
  }
  const total = Math.max(1, Math.round((perSecond * durationMs) / 1000));
  const tickMs = Math.max(1, options.tickMs ?? 10);
  const startedAt = core.clock.now();
  const result: EventStreamResult = { emitted: 0, envelopeIds: [], startedAt, endedAt: startedAt };
  let sent = 0;
  return new Promise((resolve, reject) => {
    const step = (): void => {
      try {
        const elapsed = core.clock.now() - startedAt;
        const due = Math.min(total, Math.floor((perSecond * elapsed) / 1000) + 1);
        for (; sent < due; sent++) {
          for (const r of emit(target, { ...event, ts: eventTs(startedAt, sent) }, { via: options.via })) {
            result.emitted += 1;
            if (r.envelopeId) result.envelopeIds.push(r.envelopeId);
          }
        }
        result.endedAt = core.clock.now();
        if (sent >= total) resolve(result);
        else core.scheduler.after(tickMs, step);
      } catch (error) {
        reject(error);
      }
    };
    step();
  });
}

/** A message `ts` unique within the stream (Slack's "seconds.micro" form). */
function eventTs(startedAt: number, index: number): string {
  return `${Math.floor(startedAt / 1000)}.${String(index).padStart(6, '0')}`;
}
