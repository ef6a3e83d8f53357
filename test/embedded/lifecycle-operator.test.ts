import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorSetLinksActive, reactivatePoolsForNewAppTokens } from '../../functions/embedded/lifecycle-paths';
import type { LifecyclePayload } from '../../shared/app';
import { waitFor, World } from '../worker/harness/world';
import { linkAtRest } from '../worker/support/at-rest';

// The operator's and the restart's lifecycle paths as `npm start` runs them (functions/embedded/
// lifecycle-paths.ts), on the World: real links on dynalite, a real worker and simulator.

describe('operator and restart lifecycle paths', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  const deps = () => ({ ...world.appDeps(), noticeSink: world.sink });
  const notices = (appId: string) =>
    world.sinkEvents.filter((e) => e.appId === appId && e.kind.startsWith('lifeline_')).map((e) => e.payload as LifecyclePayload);

  it('deactivate and reactivate of a workspace tell the bot once each; a reactivate that moves nothing says nothing', async () => {
    const { linkId, teamId, appId } = await world.addRtmLink();
    await world.waitForState(linkId, 'open');

    await operatorSetLinksActive(deps(), { kind: 'team', id: teamId }, false);
    await operatorSetLinksActive(deps(), { kind: 'team', id: teamId }, false);
    await operatorSetLinksActive(deps(), { kind: 'team', id: teamId }, true);
    await world.waitForState(linkId, 'open');
    await operatorSetLinksActive(deps(), { kind: 'team', id: teamId }, true);

    expect(notices(appId).map((n) => [n.type, n.team_id, n.reason, n.link_ids])).toEqual([
      ['lifeline_parked', teamId, 'operator', [linkId]],
      ['lifeline_reactivated', teamId, 'operator', [linkId]],
    ]);
  });

  it('an app deactivated and reactivated: one notice for its pool, naming no workspace', async () => {
    const app = await world.addSocketModeApp(2);
    for (const id of app.linkIds) await world.waitForState(id, 'open');

    await operatorSetLinksActive(deps(), { kind: 'app', id: app.appId }, false);
    await operatorSetLinksActive(deps(), { kind: 'app', id: app.appId }, true);

    expect(notices(app.appId)).toEqual([
      expect.objectContaining({ type: 'lifeline_parked', reason: 'operator', link_ids: app.linkIds }),
      expect.objectContaining({ type: 'lifeline_reactivated', reason: 'operator', link_ids: app.linkIds }),
    ]);
    expect(notices(app.appId).every((n) => n.team_id === undefined)).toBe(true);
  });

  it('a start with the same app token leaves a parked pool parked; with another, it comes back and the bot hears it', async () => {
    const app = world.sim.addApp({ socketMode: true });
    const linkId = `sm:${app.appId}:0`;
    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: 'xapp-1-A0BAD-typo', tokenVersion: 1 });
    await world.send(linkId, { type: 'CONNECT' });
    await world.waitForState(linkId, 'revoked');
    await linkAtRest(world, linkId);
    const apps = new Map([[app.appId, { appToken: app.appToken }]]);

    expect(await reactivatePoolsForNewAppTokens(deps(), apps, { remember: async () => false })).toEqual([]);
    expect((await world.link(linkId)).state).toBe('revoked');
    expect(world.queue.stats().visible).toBe(0);

    world.credentials.set({ protocol: 'socket', appId: app.appId }, { token: app.appToken, tokenVersion: 1 });
    expect(await reactivatePoolsForNewAppTokens(deps(), apps, { remember: async () => true })).toEqual([linkId]);

    await world.waitForState(linkId, 'open');
    await waitFor(() => world.sim.truth.openNow(app.appId) === 1, 5_000, () => 'pool socket open (simulator truth)');
    expect(notices(app.appId)).toEqual([
      expect.objectContaining({ type: 'lifeline_parked', reason: 'invalid_auth', link_ids: [linkId] }),
      expect.objectContaining({ type: 'lifeline_reactivated', reason: 'app_token_changed', link_ids: [linkId] }),
    ]);
  });
});
