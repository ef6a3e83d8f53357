import { describe, expect, it } from 'vitest';
import { InProcessWorkflow } from '../../shared/adapters/memory';
import type { ConnectOutcome, RetryRequest } from '../../shared/ports';
import { ManualTimers } from '../support/manual-timers';

const retry = (linkId: string, delayMs: number, extra: Partial<RetryRequest> = {}): RetryRequest => ({
  linkId,
  epoch: 1,
  attempt: 1,
  delayMs,
  ...extra,
});

const setup = (options: { failWith?: Error } = {}) => {
  const timers = new ManualTimers();
  const due: { request: RetryRequest; at: number }[] = [];
  const errors: { error: unknown; request: RetryRequest }[] = [];
  const tasks = new Map<string, (outcome: ConnectOutcome) => void>();
  const workflow = new InProcessWorkflow({
    timers,
    tasks,
    onRetryDue: async (request) => {
      due.push({ request, at: timers.now() });
      if (options.failWith) throw options.failWith;
    },
    onError: (error, request) => errors.push({ error, request }),
  });
  return { timers, due, errors, tasks, workflow, t0: timers.now() };
};

describe('InProcessWorkflow retries', () => {
  it('calls onRetryDue once the delay has passed, and not before', async () => {
    const { timers, due, workflow, t0 } = setup();
    await workflow.scheduleRetry(retry('L1', 2_000, { epoch: 3, attempt: 2 }));
    await timers.advance(1_999);
    expect(due).toEqual([]);
    await timers.advance(1);
    expect(due).toEqual([{ request: retry('L1', 2_000, { epoch: 3, attempt: 2 }), at: t0 + 2_000 }]);
    expect(workflow.pendingRetries()).toEqual([]);
    expect(timers.pending).toBe(0);
  });

  it('fires a zero delay on the next turn, not inside scheduleRetry', async () => {
    const { timers, due, workflow } = setup();
    await workflow.scheduleRetry(retry('L1', 0));
    expect(due).toEqual([]);
    await timers.advance(0);
    expect(due).toHaveLength(1);
  });

  it('replaces a pending retry of the same link with a new schedule', async () => {
    const { timers, due, workflow, t0 } = setup();
    await workflow.scheduleRetry(retry('L1', 5_000, { attempt: 1 }));
    await workflow.scheduleRetry(retry('L1', 1_000, { attempt: 2 }));
    await timers.advance(10_000);
    expect(due).toEqual([{ request: retry('L1', 1_000, { attempt: 2 }), at: t0 + 1_000 }]);
  });

  it('treats a schedule identical in link, epoch and attempt as a duplicate start and keeps the first timer', async () => {
    const { timers, due, workflow, t0 } = setup();
    await workflow.scheduleRetry(retry('L1', 1_000));
    await timers.advance(500);
    await workflow.scheduleRetry(retry('L1', 1_000));
    await timers.advance(10_000);
    expect(due.map((entry) => entry.at)).toEqual([t0 + 1_000]);
  });

  it('schedules again after a retry fired, even with the same epoch and attempt', async () => {
    // A link that reopens and drops again without a new claim repeats (epoch, attempt 0).
    const { timers, due, workflow } = setup();
    await workflow.scheduleRetry(retry('L1', 0, { attempt: 0 }));
    await timers.advance(0);
    await workflow.scheduleRetry(retry('L1', 0, { attempt: 0 }));
    await timers.advance(0);
    expect(due).toHaveLength(2);
  });

  it('forgets a cancelled retry, and cancelling without one is harmless', async () => {
    const { timers, due, workflow } = setup();
    await workflow.scheduleRetry(retry('L1', 1_000));
    await workflow.scheduleRetry(retry('L2', 1_000));
    await workflow.cancelRetry('L1');
    await workflow.cancelRetry('nothing-pending');
    expect(workflow.pendingRetries().map((request) => request.linkId)).toEqual(['L2']);
    await timers.advance(1_000);
    expect(due.map((entry) => entry.request.linkId)).toEqual(['L2']);
  });

  it('keeps the links apart and fires each at its own time', async () => {
    const { timers, due, workflow, t0 } = setup();
    await workflow.scheduleRetry(retry('L1', 3_000));
    await workflow.scheduleRetry(retry('L2', 1_000));
    await workflow.scheduleRetry(retry('L3', 2_000));
    await timers.advance(3_000);
    expect(due.map((entry) => [entry.request.linkId, entry.at - t0])).toEqual([
      ['L2', 1_000],
      ['L3', 2_000],
      ['L1', 3_000],
    ]);
  });

  it('reports a failing onRetryDue and keeps serving other retries', async () => {
    const { timers, due, errors, workflow } = setup({ failWith: new Error('store down') });
    await workflow.scheduleRetry(retry('L1', 100));
    await timers.advance(100);
    expect(errors).toEqual([{ error: new Error('store down'), request: retry('L1', 100) }]);
    await workflow.scheduleRetry(retry('L2', 100));
    await timers.advance(100);
    expect(due.map((entry) => entry.request.linkId)).toEqual(['L1', 'L2']);
  });

  it('drops every pending retry on stop', async () => {
    const { timers, due, workflow } = setup();
    await workflow.scheduleRetry(retry('L1', 100));
    await workflow.scheduleRetry(retry('L2', 200));
    workflow.stop();
    await timers.advance(1_000);
    expect(due).toEqual([]);
    expect(timers.pending).toBe(0);
  });
});

describe('InProcessWorkflow connect outcomes', () => {
  it('hands an outcome to the waiter of its task token, once', async () => {
    const { tasks, workflow } = setup();
    const outcomes: ConnectOutcome[] = [];
    tasks.set('tok-1', (outcome) => outcomes.push(outcome));
    await workflow.completeConnect('tok-1', { ok: false, kind: 'revoked', cause: { error: 'invalid_auth' } });
    await workflow.completeConnect('tok-1', { ok: true });
    expect(outcomes).toEqual([{ ok: false, kind: 'revoked', cause: { error: 'invalid_auth' } }]);
    expect(tasks.has('tok-1')).toBe(false);
  });

  it('ignores a token nobody waits for, with or without a waiter map', async () => {
    const { workflow } = setup();
    await expect(workflow.completeConnect('unknown', { ok: true })).resolves.toBeUndefined();
    const bare = new InProcessWorkflow({ onRetryDue: () => undefined });
    await expect(bare.completeConnect('unknown', { ok: true })).resolves.toBeUndefined();
  });
});
