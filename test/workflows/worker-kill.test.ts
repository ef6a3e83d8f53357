import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restartExecutionName } from '../../shared/adapters/stepfunctions';
import { applyEvent, rtmLinkId } from '../../shared/app';
import { waitFor, World } from '../worker/harness/world';

/**
 * A worker process killed while a workflow's connect task is in flight: nobody answers, the task
 * times out, the workflow applies CONNECT_FAILED and reschedules, and another worker opens the
 * link. The connect timeout (120 s in the definition) is scaled to 6 s.
 */
describe('worker killed during a workflow connect (child processes, synthesized workflows)', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.start({ workflow: { timeScale: { timeouts: 0.05 } } });
  });
  afterAll(async () => world?.stop());

  it('times the task out, reschedules, and the link ends open on another worker', async () => {
    // A's hello never comes and its own hello timeout is long; its long lease keeps peers from
    // declaring it dead (failover is ownership.test.ts's subject): only the task timeout can end this attempt.
    const a = await world.forkWorker({ LIFELINE_HELLO_TIMEOUT_MS: '60000', LIFELINE_LEASE_MS: '60000' });
    const ws = world.sim.addWorkspace();
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    world.sim.faults.withholdHello({ key: ws.teamId, count: 1 });
    await applyEvent(world.appDeps(), linkId, { type: 'CONNECT' });
    const failed = await applyEvent(world.appDeps(), linkId, { type: 'CONNECT_FAILED', error: 'internal_error' });
    const retry = { linkId, epoch: failed.link.epoch, attempt: failed.link.attempt, delayMs: failed.link.snapshot.context.retryDelayMs ?? 0, dueAt: failed.link.nextAttemptAt ?? 0 };
    await world.workflow.scheduleRetry(retry);

    await waitFor(async () => (await world.link(linkId)).owner === a.workerId, 15_000, () => 'worker A never claimed the link');
    // Killed with its socket open and waiting for hello: the connect is truly in flight.
    await waitFor(() => world.sim.sockets({ teamId: ws.teamId }).length === 1, 15_000, () => 'worker A never opened its socket');
    a.process.kill('SIGKILL');
    await a.exited;
    const b = await world.forkWorker();

    const link = await world.waitForState(linkId, 'open', 45_000);
    await waitFor(() => world.workflow.execution(restartExecutionName(retry))?.status !== 'RUNNING', 10_000);
    const record = world.workflow.execution(restartExecutionName(retry))!;
    const outcomes = record.connects.map((c) => c.outcome);
    const story = JSON.stringify({ status: record.status, outcomes, tasks: record.tasks, executions: world.workflow.executions().map((e) => e.name) });
    expect(record.status, story).toBe('SUCCEEDED');
    expect(outcomes[0], story).toBe('States.Timeout');
    expect(outcomes.at(-1), story).toBe('ok');
    expect(outcomes.slice(1, -1).every((o) => o === 'States.Timeout'), story).toBe(true);
    expect(link.owner).toBe(b.workerId);
    expect(link.lastError, story).toBe('connect_timeout');
    await waitFor(() => world.sim.truth.openNow(ws.teamId) === 1, 5_000, () => `sockets open: ${world.sim.truth.openNow(ws.teamId)}`);
    // The timed-out attempt was applied once, at the epoch A's claim made, and the loop went on.
    const applied = record.tasks.filter((t) => t.state === 'ApplyConnectFailed');
    expect(applied[0]?.output).toMatchObject({ epoch: retry.epoch + 1, proceed: true });
    expect(record.connects[0]?.command.epoch).toBe(retry.epoch);
    b.process.kill('SIGKILL');
    await b.exited;
  }, 90_000);
});
