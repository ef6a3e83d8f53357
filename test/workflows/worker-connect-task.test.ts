import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, rtmLinkId } from '../../shared/app';
import type { ConnectOutcome, Workflow } from '../../shared/ports';
import { Worker } from '../../functions/worker/worker';
import { waitFor, World } from '../worker/harness/world';

/**
 * A connect command with a task token: the worker answers through the Workflow port and leaves
 * applying a failure to the workflow. Observed with a recording Workflow around the world's own.
 */
describe('worker, connect commands that carry a task token', () => {
  let world: World;
  const outcomes = new Map<string, ConnectOutcome>();
  let tokens = 0;

  beforeAll(async () => {
    world = await World.start();
    const recording: Workflow = {
      scheduleRetry: (r) => world.workflow.scheduleRetry(r),
      cancelRetry: (id) => world.workflow.cancelRetry(id),
      startReactivation: (r) => world.workflow.startReactivation(r),
      completeConnect: async (token, outcome) => void outcomes.set(token, outcome),
    };
    const worker = new Worker({ ...world.workerDeps('token-worker'), workflow: recording }, { receiveWaitMs: 200, reconcileMs: 60_000 });
    await worker.start();
    world.workers.push(worker);
  });
  afterAll(async () => world?.stop());

  /** A workspace whose link is connecting (created, no command sent), then a command with a fresh token. */
  const command = async (arrange: (ws: ReturnType<World['sim']['addWorkspace']>) => void = () => undefined) => {
    const ws = world.sim.addWorkspace();
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    arrange(ws);
    const { link } = await applyEvent(world.appDeps(), linkId, { type: 'CONNECT' });
    const taskToken = `tok-${++tokens}`;
    return { ws, linkId, link, taskToken, send: () => world.queue.send({ linkId, epoch: link.epoch, taskToken }) };
  };
  const outcomeOf = async (taskToken: string) => {
    await waitFor(() => outcomes.has(taskToken), 10_000, () => `no outcome for ${taskToken}`);
    return outcomes.get(taskToken)!;
  };

  it('applies OPENED on hello and reports success', async () => {
    const { linkId, link, taskToken, send } = await command();
    await send();
    expect(await outcomeOf(taskToken)).toEqual({ ok: true });
    expect(await world.link(linkId)).toMatchObject({ state: 'open', owner: 'token-worker', epoch: link.epoch + 1 });
  });

  it.each([
    ['unknown', 'revoked', 'invalid_auth'],
    ['inactive', 'inactive', 'account_inactive'],
  ] as const)('reports a %s token as %s and applies nothing itself', async (status, kind, slackError) => {
    const { linkId, taskToken, send } = await command((ws) => world.sim.setTokenStatus(ws.botToken, status));
    await send();
    expect(await outcomeOf(taskToken)).toEqual({ ok: false, kind, cause: { error: slackError, tokenVersion: 1 } });
    const link = await world.link(linkId);
    expect(link.state).toBe('connecting');
    expect(link.lastError).toBeUndefined();
    expect(world.workers[0]!.runners.has(linkId)).toBe(false);
  });

  it('reports a refused upgrade as transient with the Slack error as cause', async () => {
    const { taskToken, send } = await command((ws) => world.sim.faults.refuseUpgrades({ key: ws.teamId, count: 1 }, 408));
    await send();
    expect(await outcomeOf(taskToken)).toEqual({ ok: false, kind: 'transient', cause: { error: 'http_408', tokenVersion: 1 } });
  });

  it('carries Retry-After in the cause of a rate-limited connect', async () => {
    const { taskToken, send } = await command((ws) => world.sim.faults.rateLimit({ method: 'rtm.connect', key: ws.teamId, count: 1, retryAfterSeconds: 2 }));
    await send();
    expect(await outcomeOf(taskToken)).toEqual({ ok: false, kind: 'transient', cause: { error: 'ratelimited', tokenVersion: 1, retryAfterMs: 2_000 } });
  });

  it('reports a command whose epoch is no longer current as stale, leaving the link alone', async () => {
    const { linkId, link, taskToken } = await command();
    await world.queue.send({ linkId, epoch: link.epoch + 5, taskToken });
    expect(await outcomeOf(taskToken)).toMatchObject({ ok: false, kind: 'stale' });
    expect((await world.link(linkId)).version).toBe(link.version);
  });
});
