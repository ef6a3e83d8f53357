import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTokenContext } from '../../shared/app';
import { scanText } from '../support/log-scan';
import { Browser } from './support/browser';
import { InstallWorld, waitFor } from './support/install-world';
import { linkAtRest } from '../worker/support/at-rest';

// The whole lifecycle over real HTTP: "Add to Slack" in a browser, the simulator's authorize page,
// our callback, the token sealed into the table, a real worker connecting with it; then Slack's
// signed uninstall event, and a reinstall through the reactivation workflow.

describe('install, uninstall and reinstall through the HTTP endpoints', () => {
  let world: InstallWorld;

  beforeAll(async () => {
    world = await InstallWorld.start();
    await world.startWorker();
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('a browser install stores the installation with its token sealed, and its link opens', async () => {
    const teamId = 'T0INSTALL1';
    const browser = new Browser();

    const visit = await world.install(teamId, browser);

    expect(visit.status).toBe(200);
    expect(visit.body).toContain('Installed');
    expect(visit.hops.map((h) => new URL(h).pathname)).toEqual(['/slack/install', '/oauth/v2/authorize', '/slack/oauth_redirect']);
    // The state cookie was set for the install and cleared by the callback.
    expect(browser.cookie(new URL(world.baseUrl).host, 'slack-app-oauth-state')).toBeUndefined();

    const token = world.liveBotToken(teamId);
    const stored = await world.installation(teamId);
    expect(stored).toMatchObject({ appId: world.app.appId, installId: teamId, teamId, active: true, tokenVersion: 1, scopes: ['bot'] });
    const raw = await world.rawInstallationItem(teamId);
    expect(raw).not.toContain(token);
    expect(raw).not.toMatch(/xox[bpe]/);
    expect(await world.cipher.decrypt(stored!.tokenCiphertext, botTokenContext({ appId: world.app.appId, installId: teamId }))).toBe(token);

    await world.waitForState(world.linkId(teamId), 'open');
    expect(world.sim.truth.openNow(teamId)).toBe(1);
    expect(visit.body).not.toContain(token);
  });

  it('an uninstall event parks the installation, closes the socket and stops connecting; a reinstall reactivates it', async () => {
    const teamId = 'T0UNINSTAL';
    await world.install(teamId);
    const linkId = world.linkId(teamId);
    await world.waitForState(linkId, 'open');

    world.sim.uninstall(world.app.appId, teamId);

    const revoked = await world.waitForState(linkId, 'revoked');
    expect(revoked.lastError).toMatch(/app_uninstalled|tokens_revoked|invalid_auth/);
    await waitFor(async () => (await world.installation(teamId))?.active === false, 5_000, () => 'installation parked');
    await waitFor(() => world.sim.truth.openNow(teamId) === 0, 5_000, () => 'socket closed');
    // Both lifecycle events answered 200 (each answer comes once its park is done, so the second may trail).
    const answered = () => world.sim.truth.httpDeliveries.filter((d) => d.appId === world.app.appId && d.status === 200).map((d) => d.type);
    await waitFor(() => answered().includes('app_uninstalled') && answered().includes('tokens_revoked'), 5_000, () => `answered: ${answered().join(', ')}`);
    const connectsAfterPark = world.sim.truth.connects(teamId).length;
    await linkAtRest(world, linkId); // nothing left that could still connect it
    expect(world.sim.truth.connects(teamId).length).toBe(connectsAfterPark);

    const visit = await world.install(teamId);

    expect(visit.body).toContain('Welcome back');
    await world.waitForState(linkId, 'open');
    expect(world.reactivations).toContainEqual({ linkId, appId: world.app.appId, teamId, tokenVersion: 2 });
    // The shipped reactivation workflow ran it: the token verified, REGISTERED applied, connected.
    const execution = await world.reactivationOf(linkId, 2);
    expect(execution.tasks.map((t) => t.state)).toEqual(['VerifyToken', 'ApplyRegistered']);
    expect(execution.connects.map((c) => c.outcome)).toEqual(['ok']);
    expect(await world.installation(teamId)).toMatchObject({ active: true, tokenVersion: 2 });
    expect(world.sim.truth.openNow(teamId)).toBe(1);
  });

  it('a disabled token (account_inactive) parks the link at the worker; a reinstall reactivates it', async () => {
    const teamId = 'T0DISABLED';
    await world.install(teamId);
    const linkId = world.linkId(teamId);
    await world.waitForState(linkId, 'open');

    world.sim.setTokenStatus(world.liveBotToken(teamId), 'inactive');

    const parked = await world.waitForState(linkId, 'inactive');
    expect(parked.lastError).toBe('account_inactive');
    const connectsAfterPark = world.sim.truth.connects(teamId).length;
    await linkAtRest(world, linkId);
    expect(world.sim.truth.connects(teamId).length).toBe(connectsAfterPark);

    const visit = await world.install(teamId);

    expect(visit.body).toContain('Welcome back');
    await world.waitForState(linkId, 'open');
    expect(world.reactivations.some((r) => r.linkId === linkId && r.tokenVersion === 2)).toBe(true);
  });

  it('installing again over a live installation changes nothing', async () => {
    const teamId = 'T0TWICE001';
    await world.install(teamId);
    const linkId = world.linkId(teamId);
    const opened = await world.waitForState(linkId, 'open');
    const before = await world.installation(teamId);

    const visit = await world.install(teamId);

    expect(visit.body).toContain('Installed');
    expect(await world.installation(teamId)).toEqual(before);
    expect((await world.links.get(linkId))?.version).toBe(opened.version);
  });

  it('no log line of any of this holds a token, code or secret', () => {
    expect(world.logs.length).toBeGreaterThan(5);
    const secrets = [world.app.clientSecret, world.app.signingSecret, world.config.stateSecret];
    expect(scanText(world.logs.join('\n'), secrets)).toEqual([]);
  });
});
