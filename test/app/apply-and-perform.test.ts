import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { MemoryConnectQueue, MemoryMetrics } from '../../shared/adapters/memory';
import {
  applyAndPerform,
  applyDetached,
  applyEvent,
  performEffects,
  type ApplyEventDeps,
  type EffectPerformer,
} from '../../shared/app';
import { EFFECT_TYPES, type Effect } from '../../shared/domain';
import type { LinkRecord, LinkStore } from '../../shared/ports';
import { startDynalite, type RunningEngine } from '../support/dynalite';
import { localClient, newLinkStore } from '../support/link-tables';
import { RecordingOrchestration } from '../sweeper/support';

const t0 = 1_700_000_000_000;

/** Records what each performer method was asked, in order. */
class RecordingPerformer implements EffectPerformer {
  readonly calls: Array<[string, unknown]> = [];
  connect = async (link: LinkRecord, params: unknown) => void this.calls.push(['connect', { linkId: link.id, params }]);
  scheduleRetry = async (link: LinkRecord, params: unknown) => void this.calls.push(['scheduleRetry', { linkId: link.id, params }]);
  cancelRetry = async (link: LinkRecord) => void this.calls.push(['cancelRetry', { linkId: link.id }]);
  closeSocket = async (link: LinkRecord, params: unknown) => void this.calls.push(['closeSocket', { linkId: link.id, params }]);
  replaceSocket = async (link: LinkRecord, params: unknown) => void this.calls.push(['replaceSocket', { linkId: link.id, params }]);
}

describe('applyAndPerform: one use case, a performer per context', () => {
  let engine: RunningEngine;
  let links: LinkStore;
  let metrics: MemoryMetrics;
  beforeAll(async () => {
    engine = await startDynalite();
  });
  afterAll(async () => engine?.stop());
  beforeEach(async () => {
    links = await newLinkStore(localClient(engine.endpoint));
    metrics = new MemoryMetrics();
  });
  const deps = (extra: Partial<ApplyEventDeps> = {}) => ({ links, clock: { now: () => t0 }, random: () => 0.5, metrics, log: silentLogger, ...extra });

  it('gives every effect type a meaning: acting ones to the performer, reporting ones to metrics', async () => {
    const link = (await applyEvent(deps(), 'rtm:A1:T1', { type: 'CONNECT' })).link;
    const performer = new RecordingPerformer();
    const one: Record<(typeof EFFECT_TYPES)[number], Effect> = {
      requestConnect: { type: 'requestConnect', params: { attempt: 0 } },
      scheduleRetry: { type: 'scheduleRetry', params: { delayMs: 500, attempt: 1, at: t0 + 500, reason: 'x' } },
      cancelRetry: { type: 'cancelRetry', params: {} },
      closeSocket: { type: 'closeSocket', params: { reason: 'parked' } },
      replaceSocket: { type: 'replaceSocket', params: { reason: 'refresh' } },
      recordOpened: { type: 'recordOpened', params: { failedAttempts: 0 } },
      reportParked: { type: 'reportParked', params: { state: 'revoked', reason: 'invalid_auth' } },
      reportUnknownError: { type: 'reportUnknownError', params: { error: 'weird' } },
    };

    await performEffects(deps(), performer, link, EFFECT_TYPES.map((type) => one[type]));

    expect(performer.calls.map(([method]) => method)).toEqual(['connect', 'scheduleRetry', 'cancelRetry', 'closeSocket', 'replaceSocket']);
    expect(performer.calls[1]).toEqual(['scheduleRetry', { linkId: 'rtm:A1:T1', params: one.scheduleRetry.params }]);
    expect(metrics.points.map((p) => p.name)).toEqual(['Reconnects', 'FatalErrors', 'UnknownSlackErrors']);
  });

  it('performs only after the write, on the link as written', async () => {
    const performer = new RecordingPerformer();
    let storedWhenPerformed: LinkRecord | undefined;
    performer.connect = async (link) => {
      storedWhenPerformed = await links.get(link.id);
      performer.calls.push(['connect', { linkId: link.id }]);
    };

    const result = await applyAndPerform(deps(), performer, 'rtm:A1:T2', { type: 'CONNECT' });

    expect(performer.calls).toEqual([['connect', { linkId: 'rtm:A1:T2' }]]);
    expect(storedWhenPerformed).toEqual(result.link);
  });

  it('steps with the policy its deps carry (a worker\'s WorkerOptions.policy)', async () => {
    const performer = new RecordingPerformer();
    await applyAndPerform(deps(), performer, 'rtm:A1:T3', { type: 'CONNECT' });
    await applyAndPerform(deps(), performer, 'rtm:A1:T4', { type: 'CONNECT' });

    const byDefault = await applyAndPerform(deps(), performer, 'rtm:A1:T3', { type: 'CONNECT_FAILED', error: 'internal_error' });
    const byPolicy = await applyAndPerform(deps({ policy: { baseMs: 10_000, capMs: 10_000 } }), performer, 'rtm:A1:T4', { type: 'CONNECT_FAILED', error: 'internal_error' });

    // Full jitter at 0.5: half of min(cap, base) for the first failed attempt.
    expect(byDefault.link.snapshot.context.retryDelayMs).toBe(500);
    expect(byPolicy.link.snapshot.context.retryDelayMs).toBe(5_000);
    expect(performer.calls.filter(([m]) => m === 'scheduleRetry').map(([, c]) => (c as { params: { delayMs: number } }).params.delayMs)).toEqual([500, 5_000]);
  });

  it('a detached caller queues the connect with the link\'s epoch and hands retries to the workflow', async () => {
    const queue = new MemoryConnectQueue();
    const workflow = new RecordingOrchestration();
    const detached = { ...deps(), queue, workflow };

    const created = await applyDetached(detached, 'rtm:A1:T5', { type: 'CONNECT' });
    const failed = await applyDetached(detached, 'rtm:A1:T5', { type: 'CONNECT_FAILED', error: 'internal_error' });

    const [received] = await queue.receive({ max: 10, waitMs: 0 });
    expect(received?.command).toEqual({ linkId: 'rtm:A1:T5', epoch: created.link.epoch });
    // The retry is named by its due time (the machine's nextAttemptAt), so a second retry at one epoch and attempt is not deduplicated into nothing.
    expect(failed.link.nextAttemptAt).toBeDefined();
    expect(workflow.retries).toEqual([{ linkId: 'rtm:A1:T5', epoch: failed.link.epoch, attempt: 1, delayMs: 500, dueAt: failed.link.nextAttemptAt }]);
  });

  it('`when`: a link that fails the check is neither stepped nor written, and nothing is performed', async () => {
    const performer = new RecordingPerformer();
    const created = await applyAndPerform(deps(), performer, 'rtm:A1:T6', { type: 'CONNECT' });
    performer.calls.length = 0;

    const result = await applyAndPerform(deps(), performer, 'rtm:A1:T6', { type: 'CONNECT_FAILED', error: 'internal_error' }, { when: (link) => link.state === 'backoff' });

    expect(result).toMatchObject({ skipped: true, changed: false, effects: [] });
    expect(performer.calls).toEqual([]);
    expect(await links.get('rtm:A1:T6')).toEqual(created.link);
  });

  it('`when` is judged on a fresh read, never concluded from an outdated known record', async () => {
    const performer = new RecordingPerformer();
    const created = await applyAndPerform(deps(), performer, 'rtm:A1:T7', { type: 'CONNECT' });
    await applyEvent(deps(), 'rtm:A1:T7', { type: 'CONNECT_FAILED', error: 'internal_error' });

    const result = await applyAndPerform(deps(), performer, 'rtm:A1:T7', { type: 'RETRY' }, { known: created.link, when: (link) => link.state === 'backoff' });

    expect(result.skipped).toBeUndefined();
    expect(result.link.state).toBe('connecting');
  });
});
