import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynaliteServer, type DynaliteServer } from '../../shared/adapters/dynalite';
import { applyDetached, completeInstall, gatedSink, parkInstallation, ParkGate, type CompleteInstallDeps } from '../../shared/app';
import type { OAuthAccess } from '../../shared/ports';
import { Worker } from '../../functions/worker/worker';
import { feedParkGate } from '../../functions/embedded/park-gate-tap';
import { capturingLogger } from '../support/log-capture';
import { waitFor, World } from './harness/world';

// Issue 15, "nothing received on it after the revocation is delivered" (embedded): the parent
// that relays the workers' deliveries sees every store write, so a park written by someone
// else than the socket's worker (the operator, an uninstall through HTTP, another worker) stops
// that link's (or that Socket Mode team's) events at once, before the owner has heard of the
// park. Here the worker's reconcile is a minute away and no IPC notice is sent: only the gate
// (fed by the embedded store's write tap, as `npm start` feeds it) stands between the events
// received after the park and the bot.

describe('events received after a park are not delivered (the park gate)', () => {
  let world: World;
  let server: DynaliteServer;
  const gateLog = capturingLogger({ component: 'park-gate' });
  const refusedCount = () => gateLog.lines.filter((line) => line.includes('event received after its park')).length;

  beforeAll(async () => {
    world = await World.start({
      simulator: { uninstallEventOrder: 'app_uninstalled_first' },
      engine: async () => {
        server = await startDynaliteServer();
        return { endpoint: server.endpoint, stop: () => server.stop() };
      },
    });
    const gate = new ParkGate();
    feedParkGate(gate, (listener) => server.onWrite(listener));
    const worker = new Worker({ ...world.workerDeps('w-gated'), sink: gatedSink(world.sink, gate, gateLog.log) }, { receiveWaitMs: 200, reconcileMs: 60_000 });
    await worker.start();
    world.workers.push(worker);
  });
  afterAll(async () => world?.stop());

  const texts = (teamId: string): string[] =>
    world.sinkEvents.filter((e) => e.teamId === teamId).map((e) => {
      const payload = e.payload as { text?: string; event?: { text?: string; type?: string } };
      return payload.text ?? payload.event?.text ?? payload.event?.type ?? e.kind;
    });

  it('an RTM link parked by the operator: what its still-open socket receives afterwards never reaches the bot', async () => {
    const parked = await world.addRtmLink();
    const control = await world.addRtmLink();
    await world.waitForState(parked.linkId, 'open');
    await world.waitForState(control.linkId, 'open');
    world.sim.emitEvent(parked.teamId, { type: 'message', text: 'before the park', channel: 'C0GENERAL' });
    await waitFor(() => texts(parked.teamId).includes('before the park'), 5_000, () => 'the event before the park delivered');
    const refusedBefore = refusedCount();

    await applyDetached(world.appDeps(), parked.linkId, { type: 'DISABLED', reason: 'operator' });
    // Distinct `ts`: a message's dedupe key is its team, channel and ts.
    for (let i = 0; i < 5; i++) world.sim.emitEvent(parked.teamId, { type: 'message', text: `after the park ${i}`, channel: 'C0GENERAL', ts: `1700000000.00000${i}` });
    world.sim.emitEvent(control.teamId, { type: 'message', text: 'control', channel: 'C0GENERAL' });

    // The worker has not let go (reconcile is a minute away): the socket is open and receiving.
    expect(world.sim.truth.openNow(parked.teamId)).toBe(1);
    await waitFor(() => refusedCount() - refusedBefore === 5 && texts(control.teamId).includes('control'), 10_000, () => `refused ${refusedCount() - refusedBefore}`);
    expect(texts(parked.teamId)).toEqual(['before the park']);
  });

  it('a Socket Mode team parked (its installation): its events stop, the app\'s other teams keep theirs; a reinstall lets them through again', async () => {
    const app = await world.addSocketModeApp(1);
    await world.waitForState(app.linkIds[0]!, 'open');
    const deps = (): CompleteInstallDeps => ({ ...world.appDeps(), installations: world.installations, cipher: world.cipher, sink: world.sink });
    const access = (teamId: string, botToken: string): OAuthAccess => ({
      appId: app.appId, accessToken: botToken, tokenType: 'bot', scopes: ['chat:write'], botUserId: 'U0BOT', team: { id: teamId, name: teamId }, isEnterpriseInstall: false,
    });
    const gone = world.sim.addWorkspace({ appId: app.appId });
    const stays = world.sim.addWorkspace({ appId: app.appId });
    for (const ws of [gone, stays]) await completeInstall(deps(), { appId: app.appId, protocol: 'socket' }, access(ws.teamId, ws.botToken));
    const refusedBefore = refusedCount();

    // As the HTTP route or another worker parks it: Slack's word, written to the installation.
    await parkInstallation(deps(), { appId: app.appId, protocol: 'socket' }, { teamId: gone.teamId, reason: 'app_uninstalled' });
    for (let i = 0; i < 3; i++) world.sim.emitEvent({ appId: app.appId, teamId: gone.teamId }, { type: 'message', text: `after the park ${i}`, channel: 'C0GENERAL' });
    world.sim.emitEvent({ appId: app.appId, teamId: stays.teamId }, { type: 'message', text: 'control', channel: 'C0GENERAL' });

    await waitFor(() => refusedCount() - refusedBefore === 3 && texts(stays.teamId).includes('control'), 10_000, () => `refused ${refusedCount() - refusedBefore}`);
    // Refused events are acked (never redelivered to the bot later): the simulator has no envelope left unacked.
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).pending === 0, 5_000, () => JSON.stringify(world.sim.truth.envelopeStats(app.appId)));
    expect(texts(gone.teamId).filter((t) => t.startsWith('after the park'))).toEqual([]);
    // Lifeline's own notice still reached the bot.
    expect(world.sinkEvents.some((e) => e.kind === 'lifeline_parked' && e.teamId === gone.teamId)).toBe(true);

    await completeInstall(deps(), { appId: app.appId, protocol: 'socket' }, access(gone.teamId, gone.botToken));
    world.sim.emitEvent({ appId: app.appId, teamId: gone.teamId }, { type: 'message', text: 'after the reinstall', channel: 'C0GENERAL' });
    await waitFor(() => texts(gone.teamId).includes('after the reinstall'), 10_000, () => 'the event after the reinstall delivered');
  });
});
