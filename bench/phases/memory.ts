import { fork, type ChildProcess } from 'node:child_process';
import type { SlackSimulator } from '../../shared/slack-simulator';
import { buildMemoryChild } from '../child/build-child';
import type { DynamoTable, FromChild, MemorySnapshot, ToChild } from '../child/protocol';
import { sleep } from '../stats';
import type { ChildSystemName, LinkTarget } from '../systems/types';

export interface MemoryPlan {
  system: ChildSystemName;
  targets: LinkTarget[];
  warmTargets: LinkTarget[];
  /** Lifeline: one table for the throwaway warm-up worker, one for the measured one. */
  tables?: { warm: DynamoTable; main: DynamoTable };
  /** Idle time after every link is open, before RSS is read (past the simulator's 5 s HTTP keep-alive). */
  settleMs: number;
  openTimeoutMs: number;
  /**
   * Cold start from nothing: no registration before the clock starts; the system is told to
   * start and register its links at once (`goFromNothing`), and `coldStartMs` includes both.
   */
  fromNothing?: boolean;
}

export interface MemoryResult {
  links: number;
  /** Links open when the wait ended (equals `links` unless the system fell short). */
  opened: number;
  /** Links open after the idle settle, just before the forced GCs; below `links` means `bytesPerLink` is null. */
  openAtMeasure: number;
  /** Links still open after the forced GCs (a stall some clients' ping timers misjudge). */
  openAfterGc: number;
  /** RSS growth per link; null unless every link was open before the GCs and the growth is above the noise. */
  bytesPerLink: number | null;
  /** The growth was within one reading's noise (`MEMORY_NOISE_BYTES`), so `bytesPerLink` is null. */
  belowNoise: boolean;
  /**
   * Growth per link of RSS minus V8's committed-but-free heap (heapTotal − heapUsed): what the
   * links hold, without heap V8 keeps committed after a burst (it can be tens of MB either way).
   */
  netOfFreeHeapPerLink: number;
  /** V8 heap growth per link, for context: RSS also holds sockets' native buffers and allocator slack. */
  heapBytesPerLink: number;
  coldStartMs: number | null;
  /** Lifeline: registering the links before the worker started (not part of cold start; 0 from nothing, where it is). */
  prepareMs: number;
  /** The cold start included registration (`MemoryPlan.fromNothing`). */
  fromNothing: boolean;
  baseline: MemorySnapshot;
  loaded: MemorySnapshot;
  /** From every link open until the system was at rest (Lifeline: every OPENED written), before the idle settle. */
  settleWaitMs: number;
  /** What the system said about itself at the end (Lifeline: the worker's state). */
  status?: Record<string, unknown>;
}

/**
 * Two readings of one process differ by a few MB with nothing changed (allocator and V8 page
 * slack); a smaller growth says nothing per link (500 raw sockets once came out negative).
 */
export const MEMORY_NOISE_BYTES = 8 * 1024 * 1024;


/**
 * One system in its own process: warm up, GC, baseline RSS; register the links; start and time
 * until the simulator sees every link open; idle; GC; RSS again. Growth ÷ links = bytes per link.
 */
export async function measureMemory(sim: SlackSimulator, plan: MemoryPlan): Promise<MemoryResult> {
  const child = fork(await buildMemoryChild(), [], { execArgv: ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'], silent: true });
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(chunk.toString());
    if (tail.length > 20) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const channel = new ChildChannel(child, () => tail.join(''));
  try {
    channel.send({ type: 'warm', system: plan.system, apiUrl: sim.apiUrl, targets: plan.warmTargets, ...(plan.tables ? { dynamo: plan.tables.warm } : {}) });
    await channel.expect('warming', 60_000);
    await waitOpen(sim, plan.warmTargets, plan.warmTargets.length, 30_000);
    channel.send({ type: 'baseline', ...(plan.tables ? { dynamo: plan.tables.main } : {}) });
    const { memory: baseline } = await channel.expect('baseline', 60_000);
    // The warm-up sockets must be gone, or they would count as the measured system's links.
    await waitOpen(sim, plan.warmTargets, 0, 15_000, 'at most');
    // The raw baseline gets its URLs from us, fetched just now so they are well within their 30 s life.
    const targets = plan.system === 'rawWs' ? await withUrls(sim, plan.targets) : plan.targets;
    let prepareMs = 0;
    if (!plan.fromNothing) {
      channel.send({ type: 'prepare', targets });
      ({ ms: prepareMs } = await channel.expect('prepared', 300_000));
    }
    const goAt = performance.now();
    channel.send(plan.fromNothing ? { type: 'goFromNothing', targets } : { type: 'go' });
    const opened = await waitOpen(sim, plan.targets, plan.targets.length, plan.openTimeoutMs);
    const coldStartMs = opened >= plan.targets.length ? performance.now() - goAt : null;
    channel.send({ type: 'measure', settleMs: plan.settleMs, maxSettleWaitMs: 120_000 });
    await channel.expect('collecting', 180_000);
    const openAtMeasure = countOpen(sim, plan.targets);
    const { memory: loaded, status, settleWaitMs } = await channel.expect('measured', 60_000);
    // Forced full GCs stall the child; a client whose ping timers judge that stall drops sockets.
    const openAfterGc = countOpen(sim, plan.targets);
    const growth = loaded.rss - baseline.rss;
    const belowNoise = Math.abs(growth) < MEMORY_NOISE_BYTES;
    return {
      links: plan.targets.length,
      opened,
      openAtMeasure,
      openAfterGc,
      bytesPerLink: openAtMeasure >= plan.targets.length && !belowNoise ? Math.round(growth / plan.targets.length) : null,
      belowNoise,
      netOfFreeHeapPerLink: Math.round((resident(loaded) - resident(baseline)) / plan.targets.length),
      heapBytesPerLink: Math.round((loaded.heapUsed - baseline.heapUsed) / plan.targets.length),
      coldStartMs: coldStartMs === null ? null : Math.round(coldStartMs),
      prepareMs: Math.round(prepareMs),
      fromNothing: plan.fromNothing === true,
      baseline,
      loaded,
      settleWaitMs,
      ...(status ? { status } : {}),
    };
  } finally {
    await channel.close();
    // The next child must start from a simulator that no longer holds this one's sockets.
    await waitOpen(sim, plan.targets, 0, 20_000, 'at most');
  }
}

async function withUrls(sim: SlackSimulator, targets: readonly LinkTarget[]): Promise<LinkTarget[]> {
  const out: LinkTarget[] = [];
  for (let i = 0; i < targets.length; i += 100) {
    const batch = targets.slice(i, i + 100);
    out.push(...(await Promise.all(batch.map(async (target) => {
      const res = await fetch(`${sim.apiUrl}rtm.connect`, { method: 'POST', headers: { authorization: `Bearer ${target.token}` } });
      const body = (await res.json()) as { url?: string };
      if (!body.url) throw new Error('rtm.connect gave no URL');
      return { ...target, url: body.url };
    }))));
  }
  return out;
}

/** RSS without V8's free heap pages, which are resident but hold nothing live. */
function resident(m: MemorySnapshot): number {
  return m.rss - (m.heapTotal - m.heapUsed);
}

function countOpen(sim: SlackSimulator, targets: readonly LinkTarget[]): number {
  let open = 0;
  for (const target of targets) open += Math.min(1, sim.truth.openNow(target.key));
  return open;
}

/** Polls the simulator until the targets hold `count` open sockets (at least, or at most); returns the last count. */
async function waitOpen(sim: SlackSimulator, targets: readonly LinkTarget[], count: number, timeoutMs: number, mode: 'at least' | 'at most' = 'at least'): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const open = countOpen(sim, targets);
    const done = mode === 'at least' ? open >= count : open <= count;
    if (done || performance.now() >= deadline) return open;
    await sleep(10);
  }
}

type Reply<T extends FromChild['type']> = Extract<FromChild, { type: T }>;

class ChildChannel {
  private readonly inbox: FromChild[] = [];
  private wake: (() => void) | undefined;
  private exited = false;

  constructor(private readonly child: ChildProcess, private readonly output: () => string) {
    child.on('message', (message: FromChild) => {
      this.inbox.push(message);
      this.wake?.();
    });
    child.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  send(message: ToChild): void {
    this.child.send(message);
  }

  async expect<T extends FromChild['type']>(type: T, timeoutMs: number): Promise<Reply<T>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((m) => m.type === type || m.type === 'failed');
      if (index >= 0) {
        const [message] = this.inbox.splice(index, 1) as [FromChild];
        if (message.type === 'failed') throw new Error(`child failed: ${message.error}\n${this.output()}`);
        return message as Reply<T>;
      }
      if (this.exited) throw new Error(`child exited before '${type}'\n${this.output()}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`child sent no '${type}' within ${timeoutMs} ms\n${this.output()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'stop' });
    const deadline = performance.now() + 10_000;
    while (!this.exited && performance.now() < deadline) await sleep(50);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
