import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/domain';
import { restartExecutionName } from '../../shared/adapters/stepfunctions';
import { linkInBackoff, RANDOM, settled, TIME_SCALE, WORKER_ID, WorkflowRig } from './support/workflow-rig';

const transient = (error: string) => ({ ok: false as const, kind: 'transient' as const, cause: { error } });
let n = 0;
const newLinkId = () => `rtm:ARESTART:T${++n}`;

/** Every path of the restart workflow, from the deployed definition, with the real task handlers on dynalite. */
describe('restart workflow (deployed ASL, embedded, real handlers)', () => {
  let rig: WorkflowRig;
  beforeAll(async () => {
    rig = await WorkflowRig.start();
  });
  afterAll(async () => rig?.stop());

  it('waits the machine\'s delay, applies RETRY, and ends when the first connect succeeds', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    expect(record.waits).toEqual([{ state: 'Wait', seconds: Math.ceil(retry.delayMs / 1000), ms: Math.ceil(retry.delayMs / 1000) * 1000 * TIME_SCALE }]);
    expect(record.tasks.map((t) => t.state)).toEqual(['ApplyRetry']);
    expect(record.connects).toEqual([{ command: { linkId: retry.linkId, epoch: retry.epoch, taskToken: expect.any(String) }, outcome: 'ok' }]);
    const link = await rig.link(retry.linkId);
    expect(link).toMatchObject({ state: 'open', owner: WORKER_ID, epoch: retry.epoch + 1, attempt: 0 });
  });

  it('applies each of three transient failures once, waiting the machine\'s next delay each time, then opens', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    rig.answers.push(transient('http_408'), transient('hello_timeout'), transient('internal_error'));
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    // Attempts 1..4 (the failure that started it, then three more): the machine's full-jitter delays, in whole seconds.
    const expected = [1, 2, 3, 4].map((attempt) => Math.ceil(backoffDelay({ attempt }, {}, () => RANDOM) / 1000));
    expect(expected).toEqual([1, 1, 2, 4]);
    expect(record.waits.map((w) => w.seconds)).toEqual(expected);
    expect(record.waits.map((w) => w.ms)).toEqual(expected.map((s) => s * 1000 * TIME_SCALE));
    expect(record.connects.map((c) => c.outcome)).toEqual(['Link.Transient', 'Link.Transient', 'Link.Transient', 'ok']);
    // Each failure was applied once, by the workflow's catch, with the epoch its worker's claim made.
    const failures = record.tasks.filter((t) => t.state === 'ApplyConnectFailed').map((t) => t.output);
    expect(failures).toEqual([2, 3, 4].map((attempt, i) => expect.objectContaining({ attempt, epoch: retry.epoch + i + 1, proceed: true })));
    const link = await rig.link(retry.linkId);
    expect(link).toMatchObject({ state: 'open', attempt: 0, lastError: 'internal_error', epoch: retry.epoch + 4 });
  });

  it.each([
    ['revoked', 'invalid_auth', 'ApplyRevoked'],
    ['inactive', 'account_inactive', 'ApplyDisabled'],
  ] as const)('parks the link when the worker reports it %s, and stops', async (state, slackError, task) => {
    const retry = await linkInBackoff(rig, newLinkId());
    rig.answers.push({ ok: false, kind: state, cause: { error: slackError, tokenVersion: 1 } });
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    expect(record.tasks.map((t) => t.state)).toEqual(['ApplyRetry', task]);
    expect(record.tasks[1]?.output).toEqual({ linkId: retry.linkId, parked: true });
    expect(record.connects).toHaveLength(1);
    const link = await rig.link(retry.linkId);
    expect(link.state).toBe(state);
    expect(link.snapshot.context.parkedReason).toBe(slackError);
  });

  it('ends without effect when the link moved to another epoch while it waited', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    // Another path (an operator's CONNECT, a worker's claim) moved the link on before the Wait ended.
    await rig.apply(retry.linkId, { type: 'CONNECT' });
    await rig.links.claim({ id: retry.linkId, owner: 'someone-else', expectedEpoch: retry.epoch, now: Date.now() });
    const before = await rig.link(retry.linkId);
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    expect(record.tasks.map((t) => [t.state, (t.output as { proceed: boolean }).proceed])).toEqual([['ApplyRetry', false]]);
    expect(record.connects).toEqual([]);
    expect((await rig.link(retry.linkId)).version).toBe(before.version);
  });

  it('ends without effect when the worker reports the command stale', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    rig.answers.push({ ok: false, kind: 'stale', cause: { error: 'link is open at epoch 9' } });
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    expect(record.tasks.map((t) => t.state)).toEqual(['ApplyRetry']);
    expect(record.connects.map((c) => c.outcome)).toEqual(['Link.Stale']);
    expect((await rig.link(retry.linkId)).state).toBe('connecting');
  });

  it('counts an unanswered command as a failed attempt after TimeoutSeconds, and tries again', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    rig.answers.push('silent');
    await rig.workflow.scheduleRetry(retry);
    const record = await settled(rig, restartExecutionName(retry));

    expect(record.status).toBe('SUCCEEDED');
    expect(record.connects.map((c) => c.outcome)).toEqual(['States.Timeout', 'ok']);
    const failed = record.tasks.find((t) => t.state === 'ApplyConnectFailed');
    expect(failed?.input).toMatchObject({ failure: { Error: 'States.Timeout' } });
    // Nobody claimed the silent command: the failure applies at the command's own epoch.
    expect(failed?.output).toMatchObject({ epoch: retry.epoch, attempt: retry.attempt + 1, proceed: true });
    expect(await rig.link(retry.linkId)).toMatchObject({ state: 'open', lastError: 'connect_timeout' });
  });

  it('runs a duplicate start of the same execution name once', async () => {
    const retry = await linkInBackoff(rig, newLinkId());
    const sentBefore = rig.commands.length;
    await Promise.all([rig.workflow.scheduleRetry(retry), rig.workflow.scheduleRetry(retry), rig.workflow.scheduleRetry({ ...retry })]);
    expect(rig.workflow.pendingRetries().filter((r) => r.linkId === retry.linkId)).toHaveLength(1);
    await rig.workflow.idle();

    const runs = rig.workflow.executions().filter((e) => e.name === restartExecutionName(retry));
    expect(runs).toHaveLength(1);
    expect(rig.commands.length - sentBefore).toBe(1);
    expect(await rig.link(retry.linkId)).toMatchObject({ state: 'open', epoch: retry.epoch + 1 });
  });
});
