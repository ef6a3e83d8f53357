import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BOLT_METRIC_KEYS, BOLT_SYSTEMS, systemResult, type BoltResult } from '../../bench/bolt/measure-bolt';
import type { RampStep } from '../../bench/bolt/trials';
import { BOLT_PLANS } from '../../bench/plan';
import { boltSection } from '../../bench/report/results';
import { formatBolt } from '../../bench/report/table';
import { boltProblems } from '../../bench/report/validate';

// The bolt section (issue 14): its shape, its validation and its targets. Speed is never asserted:
// the numbers depend on the machine; what must hold is that every key is there, each with its
// trial count, and a null always says why.

const plan = BOLT_PLANS.quick;
const step = (perSecond: number, p99: number | null, passed: boolean): RampStep => ({ perSecond, emitted: perSecond, emitMs: 1_000, acked: perSecond, p50: p99, p99, max: p99, passed });

describe('the bolt section from its parts', () => {
  it('takes the highest step that passed, and a missed target is marked missed', () => {
    const acks = { sample: { values: [5, 7, 9, 150], timedOut: 0 }, wrongPayload: 0, max: 150 };
    const lifeline = systemResult(acks, [step(100, 40, true), step(200, 300, true), step(400, 1_500, false)], plan);
    expect(lifeline).toMatchObject({ ackP50: 7, ackP99: 150, eventsPerSecond: 200, trials: { ackP50: 4, ackP99: 4, eventsPerSecond: 200 } });
    const section = boltSection({ plan, lifeline, boltSocketMode: lifeline, notes: [] });
    expect(section.targets.ackP99).toMatchObject({ value: 150, met: false });
    expect(section.targets.eventsPerSecond).toMatchObject({ value: 200, met: false });
    expect(boltProblems(section)).toEqual([]);
    expect(formatBolt(section)).toContain('<= 100 ms ✗');
  });

  it('says why when no step passed or an ack never came, and the validation accepts the null with its note', () => {
    const acks = { sample: { values: [5], timedOut: 1 }, wrongPayload: 1, max: 5 };
    const result = systemResult(acks, [step(50, null, false)], plan);
    expect(result.eventsPerSecond).toBeNull();
    expect(result.ackP99).toBeNull();
    expect(result.notes.join(' ')).toMatch(/no step passed \(the lowest, 50 events\/s: 50 of 50 acked within 2000 ms of the last, p99 beyond that/);
    expect(boltSection({ plan, lifeline: result, boltSocketMode: result, notes: [] }).targets.eventsPerSecond).toMatchObject({ value: null, met: false });
    expect(result.notes.join(' ')).toMatch(/1 of 2 commands got no ack with the listener's payload .*1 acked without it/);
    expect(boltProblems(boltSection({ plan, lifeline: result, boltSocketMode: result, notes: [] }))).toEqual([]);
  });

  it('flags a missing system, a missing key, a trial count, a null without a note, and missing targets', () => {
    const ok = systemResult({ sample: { values: [5], timedOut: 0 }, wrongPayload: 0, max: 5 }, [step(50, 10, true)], plan);
    const { eventsPerSecond: _dropped, ...withoutKey } = ok;
    const silentNull = { ...ok, ackP50: null, notes: [] };
    const noTrials = { ...ok, trials: { ackP50: 1, ackP99: 1 } };
    expect(boltProblems(undefined)).toEqual(['bolt: missing']);
    expect(boltProblems({ lifeline: withoutKey, targets: {} })).toEqual([
      'bolt.lifeline.eventsPerSecond: missing', 'bolt.boltSocketMode: missing', 'bolt.targets.ackP99: missing', 'bolt.targets.eventsPerSecond: missing',
    ]);
    const section = boltSection({ plan, lifeline: silentNull as unknown as BoltResult['lifeline'], boltSocketMode: noTrials as unknown as BoltResult['lifeline'], notes: [] });
    expect(boltProblems(section)).toEqual(['bolt.lifeline.ackP50: null without a note', 'bolt.boltSocketMode.trials.eventsPerSecond: missing']);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'lifeline-bolt-bench-'));
const run = promisify(execFile);

// npm start with the bench's Bolt app, then Bolt's SocketModeReceiver, at the quick size: about
// half a minute. LIFELINE_BENCH_SMOKE=0 skips it on a busy machine, as the quick bench's test.
describe.skipIf(process.env.LIFELINE_BENCH_SMOKE === '0')('npx tsx bench/bolt/quick.ts --quick', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes both receivers with every key and its trial count, and the targets', async () => {
    const out = join(dir, 'bolt.json');
    await run('npx', ['tsx', 'bench/bolt/quick.ts', '--quick', '--out', out], { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 });
    const { bolt } = JSON.parse(readFileSync(out, 'utf8')) as { bolt: ReturnType<typeof boltSection> };

    expect(boltProblems(bolt)).toEqual([]);
    expect(bolt.plan).toEqual(plan);
    for (const name of BOLT_SYSTEMS) {
      const system = bolt[name];
      expect(Object.keys(system)).toEqual(expect.arrayContaining([...BOLT_METRIC_KEYS]));
      // Every command was timed (acked in time or counted as failed), and the ramp ran from its first step.
      expect(system.trials.ackP99).toBe(plan.ackTrials);
      expect(system.details.ramp[0]?.perSecond).toBe(plan.ramp[0]);
      expect(system.details.ramp[0]?.emitted).toBe((plan.ramp[0]! * plan.stepMs) / 1000);
    }
    expect(Object.keys(bolt.targets).sort()).toEqual(['ackP99', 'eventsPerSecond']);
  }, 240_000);
});
