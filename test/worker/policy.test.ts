import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestartInput } from '../../shared/adapters/stepfunctions/contract';
import { World } from './harness/world';

/** `WorkerOptions.policy` reaches the machine: every event a worker applies steps with it. */
describe('worker: the machine policy from its options', () => {
  let world: World;

  beforeAll(async () => {
    // Fixed jitter: the first failed attempt waits half of min(cap, base).
    world = await World.start({ random: () => 0.5 });
    await world.startWorker({ policy: { baseMs: 4_000, capMs: 4_000 } });
  });
  afterAll(async () => world?.stop());

  it('backs off a failed connect by the worker\'s policy, not the default', async () => {
    const ws = world.sim.addWorkspace();
    world.sim.faults.refuseUpgrades({ key: ws.teamId, count: 1 }, 408);
    world.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 1 });
    const linkId = `rtm:${ws.appId}:${ws.teamId}`;

    await world.send(linkId, { type: 'CONNECT' });
    const link = await world.waitForState(linkId, 'open', 15_000);

    // 0.5 · min(4 s, 4 s) = 2 s; the default policy (1 s base) would have planned 0.5 s (1 s in Step Functions' whole seconds).
    const restarts = world.workflow.executions().filter((e) => e.workflow === 'restart' && (e.input as RestartInput).linkId === linkId);
    expect(restarts.map((e) => (e.input as RestartInput).delaySeconds)).toEqual([2]);
    expect(link.lastError).toBe('http_408');
    expect(world.sim.truth.connects(ws.teamId).map((c) => c.outcome)).toEqual(['refused', 'hello']);
  });
});
