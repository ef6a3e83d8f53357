import { describe, expect, it } from 'vitest';
import type { MemoryResult } from '../../bench/phases/memory';
import { FROM_NOTHING_KEY, lifelineTargets, systemResult, type SystemResult } from '../../bench/report/results';
import { fromNothingProblems } from '../../bench/report/validate';

const memory = (coldStartMs: number | null, links = 5_000): MemoryResult => ({
  links, opened: coldStartMs === null ? links - 7 : links, openAtMeasure: links, openAfterGc: links, bytesPerLink: 1, belowNoise: false,
  netOfFreeHeapPerLink: 1, heapBytesPerLink: 1, coldStartMs, prepareMs: 0, fromNothing: true, settleWaitMs: 0,
  baseline: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 }, loaded: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 },
});

const system = (coldStart: number | null, fromNothing?: { result: MemoryResult | null; error?: string }): SystemResult =>
  systemResult({ memory: memory(coldStart), rawWsBytesPerLink: 1, notes: [], protocols: ['rtm'], ...(fromNothing ? { fromNothing } : {}) });

describe('bench report: the cold start from nothing (issue 16)', () => {
  it('judges Lifeline against 1.5 x the slower official client of the same run', () => {
    const peers = { socketModeClient: system(6_000), rtmClient: system(4_000) };
    const within = lifelineTargets(system(16_000, { result: memory(9_000) }), peers)[FROM_NOTHING_KEY];
    expect(within).toMatchObject({ value: 9_000, met: true });
    expect(within?.target).toContain('= 9000 ms');
    expect(lifelineTargets(system(16_000, { result: memory(9_001) }), peers)[FROM_NOTHING_KEY]).toMatchObject({ met: false });
    // A peer without a figure leaves the target unknown, not met.
    expect(lifelineTargets(system(16_000, { result: memory(1_000) }), { socketModeClient: system(null) })[FROM_NOTHING_KEY]).toMatchObject({ met: null });
  });

  it('is Lifeline-only: the peers carry no such field', () => {
    expect(FROM_NOTHING_KEY in system(6_000)).toBe(false);
    const lifeline = system(16_000, { result: memory(9_000) });
    expect(lifeline[FROM_NOTHING_KEY]).toBe(9_000);
    expect(lifeline.trials[FROM_NOTHING_KEY]).toBe(5_000);
  });

  it('explains a null (links that never opened, a failed child) and the validator wants the field, its count and its target', () => {
    const short = system(16_000, { result: memory(null) });
    expect(short[FROM_NOTHING_KEY]).toBeNull();
    expect(short.notes.join(' ')).toContain('cold start from nothing: only 4993 of 5000');
    const failed = system(16_000, { result: null, error: 'child exited' });
    expect(failed.notes.join(' ')).toContain('child exited');
    const targets = lifelineTargets(short, { socketModeClient: system(6_000), rtmClient: system(4_000) });
    expect(fromNothingProblems(short as unknown as Record<string, unknown>, targets)).toEqual([]);

    const missing = system(16_000);
    expect(fromNothingProblems(missing as unknown as Record<string, unknown>, {})).toEqual([
      `lifeline.${FROM_NOTHING_KEY}: missing`, `lifeline.trials.${FROM_NOTHING_KEY}: missing`, `targets.${FROM_NOTHING_KEY}: missing`,
    ]);
    const unexplained = { ...short, notes: [] } as unknown as Record<string, unknown>;
    expect(fromNothingProblems(unexplained, targets)).toEqual([`lifeline.${FROM_NOTHING_KEY}: null without a note`]);
  });
});
