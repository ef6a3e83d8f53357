import type { ConnectCommand, ConnectQueue, ReceivedCommand } from '../../ports';
import { systemTimers, type Timers } from './timers';

export interface MemoryConnectQueueOptions {
  /** How long a received, unacked command stays invisible before it is redelivered. Default 30,000 (SQS's default). */
  visibilityTimeoutMs?: number;
  /**
   * Drop a send identical to a command still in the queue (same link, epoch, hand-off and task
   * token). Off by default, like a standard SQS queue. The task token is part of identity:
   * dropping a command with another token would leave that workflow waiting for its timeout.
   */
  dedupe?: boolean;
  timers?: Timers;
}

interface Message {
  id: number;
  command: ConnectCommand;
  key: string;
  /** Grows with every delivery; an ack from an earlier delivery is stale. */
  receipt: number;
  visibleAt: number;
}

interface Waiter {
  max: number;
  finish(commands: ReceivedCommand[]): void;
}

const identity = (command: ConnectCommand): string =>
  JSON.stringify([command.linkId, command.epoch, command.handoffFrom ?? null, command.taskToken ?? null]);

/**
 * ConnectQueue in one process with SQS standard-queue semantics: a received command is hidden
 * until acked or until its visibility timeout passes, then delivered again (at least once);
 * long polls return as soon as anything is visible; order is first-in first-out except for
 * redeliveries, which keep their original place.
 */
export class MemoryConnectQueue implements ConnectQueue {
  private readonly visibilityTimeoutMs: number;
  private readonly dedupe: boolean;
  private readonly timers: Timers;
  private readonly messages: Message[] = [];
  private readonly pendingKeys = new Set<string>();
  private readonly waiters: Waiter[] = [];
  private nextId = 1;
  private wakeTimer: { handle: unknown; at: number } | undefined;

  constructor(options: MemoryConnectQueueOptions = {}) {
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.dedupe = options.dedupe ?? false;
    this.timers = options.timers ?? systemTimers;
  }

  /** Commands waiting to be received, and received but not yet acked. */
  stats(): { visible: number; inFlight: number } {
    const now = this.timers.now();
    const visible = this.messages.filter((message) => message.visibleAt <= now).length;
    return { visible, inFlight: this.messages.length - visible };
  }

  async send(command: ConnectCommand): Promise<void> {
    const key = identity(command);
    if (this.dedupe && this.pendingKeys.has(key)) return;
    this.pendingKeys.add(key);
    this.messages.push({ id: this.nextId++, command: { ...command }, key, receipt: 0, visibleAt: this.timers.now() });
    this.pump();
  }

  receive(options: { max: number; waitMs: number; signal?: AbortSignal }): Promise<ReceivedCommand[]> {
    const { max, waitMs, signal } = options;
    if (signal?.aborted || max < 1) return Promise.resolve([]);
    const ready = this.take(max);
    if (ready.length > 0 || waitMs <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        max,
        finish: (commands) => {
          this.timers.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          resolve(commands);
        },
      };
      const onAbort = (): void => waiter.finish([]);
      const timer = this.timers.setTimeout(() => waiter.finish([]), waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.armWake();
    });
  }

  /** Hands visible messages to waiting receivers, oldest waiter first. */
  private pump(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0] as Waiter;
      const ready = this.take(waiter.max);
      if (ready.length === 0) break;
      waiter.finish(ready);
    }
    this.armWake();
  }

  private take(max: number): ReceivedCommand[] {
    const now = this.timers.now();
    const taken: ReceivedCommand[] = [];
    for (const message of this.messages) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      message.receipt += 1;
      message.visibleAt = now + this.visibilityTimeoutMs;
      taken.push({ command: { ...message.command }, ack: this.acker(message.id, message.receipt), keepHidden: this.hider(message.id, message.receipt) });
    }
    return taken;
  }

  /** Deletes the message only if this delivery is still its latest; a stale ack is a no-op, as in SQS. */
  private acker(id: number, receipt: number): () => Promise<void> {
    return async () => {
      const index = this.messages.findIndex((message) => message.id === id);
      const message = this.messages[index];
      if (!message || message.receipt !== receipt) return;
      this.messages.splice(index, 1);
      this.pendingKeys.delete(message.key);
    };
  }

  /** Hides the message `ms` from now, only if this delivery is still its latest. */
  private hider(id: number, receipt: number): (ms: number) => Promise<void> {
    return async (ms) => {
      const message = this.messages.find((candidate) => candidate.id === id);
      if (!message || message.receipt !== receipt) return;
      message.visibleAt = this.timers.now() + Math.max(0, ms);
      this.armWake();
    };
  }

  /** While someone waits, wake up when the earliest hidden message becomes visible again. */
  private armWake(): void {
    let at: number | undefined;
    if (this.waiters.length > 0) {
      const now = this.timers.now();
      for (const { visibleAt } of this.messages) {
        if (visibleAt > now && (at === undefined || visibleAt < at)) at = visibleAt;
      }
    }
    if (this.wakeTimer && this.wakeTimer.at === at) return;
    if (this.wakeTimer) this.timers.clearTimeout(this.wakeTimer.handle);
    this.wakeTimer = undefined;
    if (at === undefined) return;
    const handle = this.timers.setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, at - this.timers.now());
    this.wakeTimer = { handle, at };
  }
}
