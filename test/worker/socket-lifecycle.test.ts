import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInstall, parkInstallation, type CompleteInstallDeps, type LifecyclePayload } from '../../shared/app';
import type { OAuthAccess, SinkEvent } from '../../shared/ports';
import { waitFor, World } from './harness/world';
import { linkAtRest } from './support/at-rest';

// Issue 15, "Lifecycle over the socket" and "Lifecycle to the bot": a Socket Mode app hears
// `app_uninstalled` / `tokens_revoked` over its socket; the worker that received them parks the
// installation with the HTTP route's use case, and the bot hears lifeline_* notices. And "Parked
// app links come back": a pool parked for its app token or `link_disabled` returns on a reinstall.

describe('Socket Mode lifecycle over the socket', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start({
      simulator: { socketMode: { ackTimeoutMs: 1_000, retryDelaysMs: [0, 200, 400] }, uninstallEventOrder: 'app_uninstalled_first' },
    });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  const deps = (): CompleteInstallDeps => ({ ...world.appDeps(), installations: world.installations, cipher: world.cipher, sink: world.sink });
  const socketApp = (appId: string) => ({ appId, protocol: 'socket' as const });
  const access = (appId: string, teamId: string, botToken: string): OAuthAccess => ({
    appId, accessToken: botToken, tokenType: 'bot', scopes: ['chat:write'], botUserId: 'U0BOT', team: { id: teamId, name: teamId }, isEnterpriseInstall: false,
  });
  const notices = (appId: string, kind?: string): (SinkEvent & { payload: LifecyclePayload })[] =>
    world.sinkEvents.filter((e) => e.appId === appId && e.kind.startsWith('lifeline_') && (kind === undefined || e.kind === kind)) as (SinkEvent & { payload: LifecyclePayload })[];
  const eventTypes = (appId: string, teamId: string) =>
    world.sinkEvents.filter((e) => e.appId === appId && e.teamId === teamId).map((e) => (e.kind === 'events_api' ? (e.payload as { event: { type: string } }).event.type : e.kind));

  /** An open one-slot Socket Mode app with one workspace installed through completeInstall. */
  const installedApp = async () => {
    const app = await world.addSocketModeApp(1);
    await world.waitForState(app.linkIds[0]!, 'open');
    const ws = world.sim.addWorkspace({ appId: app.appId });
    const installed = await completeInstall(deps(), socketApp(app.appId), access(app.appId, ws.teamId, ws.botToken));
    expect(installed.outcome).toBe('installed');
    return { ...app, teamId: ws.teamId, linkId: app.linkIds[0]! };
  };

  it('an uninstall over the socket parks the installation, tells the bot once, and leaves the pool open; a reinstall reactivates and tells the bot', async () => {
    const app = await installedApp();
    expect(notices(app.appId, 'lifeline_installed').map((n) => n.payload)).toEqual([
      expect.objectContaining({ type: 'lifeline_installed', app_id: app.appId, team_id: app.teamId, reason: 'installed', token_version: 1 }),
    ]);

    world.sim.uninstall(app.appId, app.teamId);

    await waitFor(async () => (await world.installations.get({ appId: app.appId, installId: app.teamId }))?.active === false, 5_000, () => 'installation parked');
    await waitFor(() => notices(app.appId, 'lifeline_parked').length === 1, 5_000, () => 'lifeline_parked delivered');
    // Both events reached the bot, and acked; the second found the installation parked: one notice.
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked >= 2, 5_000, () => 'both lifecycle envelopes acked');
    const seen = eventTypes(app.appId, app.teamId);
    expect(seen).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked', 'lifeline_parked']));
    // The bot hears Slack's event first, then Lifeline's notice (the park runs after the delivery).
    expect(seen.indexOf('app_uninstalled')).toBeLessThan(seen.indexOf('lifeline_parked'));
    expect(notices(app.appId, 'lifeline_parked')).toHaveLength(1);
    expect(notices(app.appId, 'lifeline_parked')[0]).toMatchObject({
      kind: 'lifeline_parked', protocol: 'socket', teamId: app.teamId,
      payload: { type: 'lifeline_parked', app_id: app.appId, team_id: app.teamId, reason: 'app_uninstalled', link_ids: [] },
    });
    expect(await world.installations.get({ appId: app.appId, installId: app.teamId })).toMatchObject({ active: false, parkedReason: 'app_uninstalled' });
    // The signed HTTP route's park of the same uninstall (same use case) is idempotent: no second notice.
    const again = await parkInstallation({ ...deps() }, socketApp(app.appId), { teamId: app.teamId, reason: 'app_uninstalled' });
    expect(again.outcome).toBe('already_parked');
    expect(notices(app.appId, 'lifeline_parked')).toHaveLength(1);
    // One workspace leaving does not touch the app's pool; nothing connects for the team (simulator truth).
    expect((await world.link(app.linkId)).state).toBe('open');
    expect(world.sim.truth.openNow(app.appId)).toBe(1);
    expect(world.sim.truth.connects(app.teamId)).toHaveLength(0);

    const again2 = world.sim.install(app.appId, app.teamId);
    const back = await completeInstall(deps(), socketApp(app.appId), access(app.appId, app.teamId, again2.botToken));

    expect(back.outcome).toBe('reactivated');
    expect(await world.installations.get({ appId: app.appId, installId: app.teamId })).toMatchObject({ active: true, tokenVersion: 2 });
    expect(notices(app.appId, 'lifeline_reactivated').map((n) => n.payload)).toEqual([
      expect.objectContaining({ type: 'lifeline_reactivated', team_id: app.teamId, reason: 'reinstalled', token_version: 2 }),
    ]);
    expect(world.sim.truth.openNow(app.appId)).toBe(1);
  });

  it('tokens_revoked naming the bot, alone over the socket, parks with that reason', async () => {
    const app = await installedApp();

    world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } }, { via: ['socket_mode'] });

    await waitFor(() => notices(app.appId, 'lifeline_parked').length === 1, 5_000, () => 'lifeline_parked delivered');
    expect(notices(app.appId, 'lifeline_parked')[0]?.payload).toMatchObject({ team_id: app.teamId, reason: 'tokens_revoked' });
    expect(await world.installations.get({ appId: app.appId, installId: app.teamId })).toMatchObject({ active: false, parkedReason: 'tokens_revoked' });
  });

  it('a user token revoked over the socket parks nothing (the bot still works)', async () => {
    const app = await installedApp();
    const [emitted] = world.sim.emitEvent({ appId: app.appId, teamId: app.teamId }, { type: 'tokens_revoked', tokens: { oauth: ['U0SIMUSER'], bot: [] } }, { via: ['socket_mode'] });
    await waitFor(() => world.sinkEvents.some((e) => (e.payload as { event_id?: string }).event_id === emitted!.eventId), 5_000, () => 'event delivered');
    // The hook runs after the delivery: let it finish before judging (the ack follows the delivery too).
    await waitFor(() => world.sim.truth.envelopeStats(app.appId).acked >= 1, 5_000);
    expect(await world.installations.get({ appId: app.appId, installId: app.teamId })).toMatchObject({ active: true });
    expect(notices(app.appId, 'lifeline_parked')).toHaveLength(0);
  });

  it('a pool parked for a bad app token comes back on a reinstall once the token is right, and the bot hears it', async () => {
    const app = world.sim.addApp({ socketMode: true });
    const linkId = `sm:${app.appId}:0`;
    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: 'xapp-1-A0BAD-0000-mistyped', tokenVersion: 1 });
    await world.send(linkId, { type: 'CONNECT' });
    const parked = await world.waitForState(linkId, 'revoked');
    expect(parked.lastError).toBe('invalid_auth');
    await linkAtRest(world, linkId);
    expect(world.sim.truth.openNow(app.appId)).toBe(0);
    // The pool parked itself (no installation event says so): the bot hears it from the worker.
    await waitFor(() => notices(app.appId, 'lifeline_parked').length === 1, 5_000, () => 'lifeline_parked for the pool');
    expect(notices(app.appId, 'lifeline_parked')[0]?.payload).toMatchObject({ reason: 'invalid_auth', link_ids: [linkId] });
    expect(notices(app.appId, 'lifeline_parked')[0]?.payload.team_id).toBeUndefined();

    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    const ws = world.sim.addWorkspace({ appId: app.appId });
    const result = await completeInstall(deps(), socketApp(app.appId), access(app.appId, ws.teamId, ws.botToken));

    expect(result.outcome).toBe('installed');
    await world.waitForState(linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000, () => 'pool socket open (simulator truth)');
    expect(notices(app.appId, 'lifeline_reactivated').map((n) => n.payload)).toEqual([
      expect.objectContaining({ type: 'lifeline_reactivated', app_id: app.appId, reason: 'reinstalled', link_ids: [linkId] }),
    ]);
    expect(notices(app.appId, 'lifeline_reactivated')[0]?.payload.team_id).toBeUndefined();
  });

  it('a pool parked by link_disabled comes back on a reinstall once Socket Mode is on again', async () => {
    const app = await installedApp();
    world.sim.faults.disableSocketMode(app.appId);
    const parked = await world.waitForState(app.linkId, 'inactive');
    expect(parked.lastError).toBe('link_disabled');
    await linkAtRest(world, app.linkId);
    await waitFor(() => notices(app.appId, 'lifeline_parked').length === 1, 5_000, () => 'lifeline_parked for the pool');
    expect(notices(app.appId, 'lifeline_parked')[0]?.payload).toMatchObject({ reason: 'link_disabled', link_ids: [app.linkId] });

    world.sim.faults.enableSocketMode(app.appId);
    const same = world.sim.install(app.appId, app.teamId);
    const result = await completeInstall(deps(), socketApp(app.appId), access(app.appId, app.teamId, same.botToken));

    expect(result.outcome).toBe('reactivated');
    await world.waitForState(app.linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000, () => 'pool socket open (simulator truth)');
  });

  it('a pool the operator parked stays parked through a reinstall', async () => {
    const app = await installedApp();
    await world.send(app.linkId, { type: 'DISABLED', reason: 'operator' });
    await world.waitForState(app.linkId, 'inactive');

    const same = world.sim.install(app.appId, app.teamId);
    const result = await completeInstall(deps(), socketApp(app.appId), access(app.appId, app.teamId, same.botToken));

    expect(result.outcome).toBe('unchanged');
    expect((await world.link(app.linkId)).state).toBe('inactive');
    expect(notices(app.appId, 'lifeline_reactivated')).toHaveLength(0);
    // The operator's park is announced by the operator's action, not by the link.
    expect(notices(app.appId, 'lifeline_parked')).toHaveLength(0);
  });
});
