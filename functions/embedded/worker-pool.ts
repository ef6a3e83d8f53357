import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/ports';

export interface WorkerInfo {
  workerId: string;
  pid: number | undefined;
  index: number;
  state: 'starting' | 'ready' | 'restarting' | 'stopping';
  startedAt: number;
  /** Replacements forked for this slot since `npm start`. */
  restarts: number;
}

export interface WorkerPoolOptions {
  count: number;
  /** Forks one worker process with this id; the caller wires its IPC services. */
  spawn(workerId: string): ChildProcess;
  /** A worker process died: its links must go to peers (the process is gone, so this is safe at once). */
  onDeath(workerId: string): Promise<void>;
  log: Logger;
  /**
   * First restart delay; doubles per quick death, up to `maxRestartMs` (default 10,000: a worker
   * no longer dies of a store outage, it waits for the store, so deaths in a row mean a broken
   * worker, and even then the wait stays short of a lease or two). Default 1,000.
   */
  baseRestartMs?: number;
  maxRestartMs?: number;
  /** A process that lived this long resets the doubling. Default 60,000. */
  stableMs?: number;
  /** How long `stop` waits for a drain before SIGKILL. Default 30,000. */
  stopTimeoutMs?: number;
  readyTimeoutMs?: number;
}

interface Slot extends WorkerInfo {
  child: ChildProcess | undefined;
  quickDeaths: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The embedded mode's worker processes: forks them, restarts one that died (after a delay that
 * doubles while it keeps dying young, so a broken worker cannot spin), and drains them all on
 * shutdown. Ids are fresh per process: a replacement is a new member, never a resurrected one.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly runId = randomUUID().slice(0, 4);
  private generation = 0;
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  async start(): Promise<void> {
    for (let index = 0; index < this.options.count; index++) {
      this.slots.push({ index, workerId: '', pid: undefined, state: 'starting', startedAt: 0, restarts: 0, child: undefined, quickDeaths: 0, timer: undefined });
    }
    await Promise.all(this.slots.map((slot) => this.fork(slot)));
  }

  list(): WorkerInfo[] {
    return this.slots.map(({ workerId, pid, index, state, startedAt, restarts }) => ({ workerId, pid, index, state, startedAt, restarts }));
  }

  /** SIGTERM to every worker (each drains), SIGKILL to any still there after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const timeoutMs = this.options.stopTimeoutMs ?? 30_000;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        slot.state = 'stopping';
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private fork(slot: Slot): Promise<void> {
    this.generation += 1;
    const workerId = `w${slot.index + 1}-${this.runId}-${this.generation}`;
    const child = this.options.spawn(workerId);
    Object.assign(slot, { workerId, child, pid: child.pid, state: 'starting', startedAt: Date.now() });
    child.once('exit', (code, signal) => void this.onExit(slot, child, code, signal));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.options.log.warn('worker not ready yet; still waiting', { workerId });
        resolve();
      }, this.options.readyTimeoutMs ?? 30_000);
      const onMessage = (message: unknown) => {
        if ((message as { lifeline?: string } | null)?.lifeline !== 'worker-ready') return;
        child.off('message', onMessage);
        clearTimeout(timer);
        if (slot.child === child && slot.state === 'starting') slot.state = 'ready';
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (slot.child !== child) return;
    slot.child = undefined;
    slot.pid = undefined;
    if (this.stopping) return;
    const { log } = this.options;
    const lived = Date.now() - slot.startedAt;
    slot.quickDeaths = lived >= (this.options.stableMs ?? 60_000) ? 0 : slot.quickDeaths + 1;
    const base = this.options.baseRestartMs ?? 1_000;
    const delay = Math.min(this.options.maxRestartMs ?? 10_000, base * 2 ** Math.max(0, slot.quickDeaths - 1));
    slot.state = 'restarting';
    log.warn('worker process died; its links go to peers; restarting it', { workerId: slot.workerId, code, signal, restartInMs: delay });
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (this.stopping) return;
      slot.restarts += 1;
      void this.fork(slot);
    }, delay);
    // The hand-over retries until the store takes it; the replacement does not wait for it
    // (a new worker waits for the store by itself, and claims only what is handed over).
    await this.options.onDeath(slot.workerId).catch((error: unknown) => log.error('handing over a dead worker\'s links failed', { workerId: slot.workerId, error }));
  }
}
