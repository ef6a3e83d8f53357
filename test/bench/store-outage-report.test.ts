import { describe, expect, it } from 'vitest';
import { embeddedSection } from '../../bench/report/results';
import { resultProblems } from '../../bench/report/validate';

const embedded = (figures: Partial<Record<'storeOutageDroppedSockets' | 'storeOutageLostEvents' | 'storeOutageRecoveryMs' | 'rebalanceMs' | 'rebalanceGapMs' | 'rebalanceLostEvents', number | null>>, notes: string[] = []) =>
  embeddedSection({
    failoverMs: 1, stormMs: 1, storm429s: 0, steadyWritesPerMin: 1, workers: 2, notes,
    storeOutageDroppedSockets: 0, storeOutageLostEvents: 0, storeOutageRecoveryMs: 1_000, rebalanceMs: 60_000, rebalanceGapMs: 0, rebalanceLostEvents: 0, ...figures,
  });

/** Only the embedded section's store-outage checks: the rest of the results file is someone else's. */
const outageProblems = (section: unknown) => resultProblems({ systems: {}, rawWsBytesPerLink: 1, embedded: section }).filter((p) => p.startsWith('embedded'));

describe('bench report: the store-outage figures', () => {
  it('judges each figure against its target', () => {
    expect(embedded({}).targets.storeOutageDroppedSockets).toMatchObject({ target: '0', value: 0, met: true });
    expect(embedded({ storeOutageLostEvents: 3 }).targets.storeOutageLostEvents).toMatchObject({ value: 3, met: false });
    expect(embedded({ storeOutageRecoveryMs: 12_000 }).targets.storeOutageRecoveryMs).toMatchObject({ target: '<= 10000', met: false });
  });

  it('accepts a complete section, refuses a missing figure or an unexplained null', () => {
    expect(outageProblems(embedded({}))).toEqual([]);
    const { storeOutageLostEvents: _dropped, ...missing } = embedded({});
    expect(outageProblems(missing)).toContain('embedded.storeOutageLostEvents: missing');
    expect(outageProblems(embedded({ storeOutageRecoveryMs: null }))).toContain('embedded.storeOutageRecoveryMs: null without a note');
    expect(outageProblems(embedded({ storeOutageRecoveryMs: null }, ['storeOutage: links never all opened']))).toEqual([]);
  });
});

describe('bench report: the rebalancing figures', () => {
  it('judges the gap and the lost events against 0, and reports the time', () => {
    expect(embedded({}).targets.rebalanceGapMs).toMatchObject({ target: '0', value: 0, met: true });
    expect(embedded({ rebalanceGapMs: 40 }).targets.rebalanceGapMs).toMatchObject({ value: 40, met: false });
    expect(embedded({ rebalanceLostEvents: 2 }).targets.rebalanceLostEvents).toMatchObject({ value: 2, met: false });
    expect(embedded({ rebalanceMs: null }, ['rebalance: never even']).targets.rebalanceMs).toMatchObject({ value: null, met: null });
  });

  it('refuses a missing figure or an unexplained null', () => {
    const { rebalanceGapMs: _gap, ...missing } = embedded({});
    expect(outageProblems(missing)).toContain('embedded.rebalanceGapMs: missing');
    expect(outageProblems(embedded({ rebalanceLostEvents: null }))).toContain('embedded.rebalanceLostEvents: null without a note');
  });
});
