import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, botTokenContext, completeInstall, InvalidInstallError, parkInstallation, rtmLinkId, type InstalledApp } from '../../shared/app';
import type { OAuthAccess } from '../../shared/ports';
import { InstallWorld } from '../http/support/install-world';

// What an OAuth answer does to an installation and its link, by history: first install, repeat,
// new token on a live link (rotation / reinstall), reinstall after parking, org-wide install.

describe('completeInstall', () => {
  let world: InstallWorld;
  let app: InstalledApp;
  let serial = 0;

  beforeAll(async () => {
    world = await InstallWorld.start();
    app = { appId: world.app.appId, protocol: 'rtm' };
  });

  afterAll(async () => {
    await world?.stop();
  });

  const access = (teamId: string, overrides: Partial<OAuthAccess> = {}): OAuthAccess => ({
    appId: world.app.appId,
    accessToken: `xoxb-${String(++serial).padStart(12, '0')}-1111111111111-${'t'.repeat(24)}`,
    tokenType: 'bot',
    scopes: ['bot'],
    botUserId: 'U0BOT',
    team: { id: teamId, name: `Team ${teamId}` },
    isEnterpriseInstall: false,
    ...overrides,
  });

  const queued = () => world.queue.stats().visible;

  it('a first install stores the sealed token and queues the first connect', async () => {
    const before = queued();
    const first = access('T0FIRST001');

    const result = await completeInstall(world.deps, app, first);

    expect(result).toMatchObject({ outcome: 'installed', linkId: rtmLinkId(app.appId, 'T0FIRST001'), installation: { tokenVersion: 1, active: true } });
    expect(await world.cipher.decrypt(result.installation.tokenCiphertext, botTokenContext(result.installation))).toBe(first.accessToken);
    expect((await world.links.get(result.linkId!))?.state).toBe('connecting');
    expect(queued()).toBe(before + 1);
  });

  it('the same token again changes nothing', async () => {
    const same = access('T0REPEAT01');
    await completeInstall(world.deps, app, same);
    const before = { installation: await world.installation('T0REPEAT01'), queued: queued() };

    const result = await completeInstall(world.deps, app, same);

    expect(result.outcome).toBe('unchanged');
    expect(await world.installation('T0REPEAT01')).toEqual(before.installation);
    expect(queued()).toBe(before.queued);
  });

  it('a new token for an open link: version 2, REGISTERED, the link stays open (its socket is replaced)', async () => {
    const { linkId } = await completeInstall(world.deps, app, access('T0ROTATED1'));
    await applyEvent(world.appDeps(), linkId!, { type: 'OPENED' });

    const result = await completeInstall(world.deps, app, access('T0ROTATED1'));

    expect(result).toMatchObject({ outcome: 'updated', installation: { tokenVersion: 2 } });
    const link = await world.links.get(linkId!);
    expect(link?.state).toBe('open');
    expect(link?.snapshot.context).toMatchObject({ tokenVersion: 2 });
  });

  it('a reinstall of a parked installation starts the reactivation workflow with the new version', async () => {
    const { linkId } = await completeInstall(world.deps, app, access('T0PARKED01'));
    await parkInstallation(world.deps, app, { teamId: 'T0PARKED01', reason: 'app_uninstalled' });
    expect((await world.links.get(linkId!))?.state).toBe('revoked');

    const result = await completeInstall(world.deps, app, access('T0PARKED01'));

    expect(result).toMatchObject({ outcome: 'reactivated', installation: { tokenVersion: 2, active: true } });
    expect(result.installation.parkedReason).toBeUndefined();
    expect(world.reactivations.filter((r) => r.linkId === linkId)).toEqual([{ linkId, appId: app.appId, teamId: 'T0PARKED01', tokenVersion: 2 }]);
  });

  it('an org-wide install is keyed by its enterprise', async () => {
    const org = access('unused', { team: undefined, enterprise: { id: 'E0ORG00001', name: 'Org' }, isEnterpriseInstall: true });
    const result = await completeInstall(world.deps, app, org);
    expect(result.installation).toMatchObject({ installId: 'E0ORG00001', enterpriseId: 'E0ORG00001', isEnterpriseInstall: true });
    expect(result.linkId).toBe(rtmLinkId(app.appId, 'E0ORG00001'));
  });

  it('a Socket Mode app stores the installation and creates no link of its own', async () => {
    const result = await completeInstall(world.deps, { appId: app.appId, protocol: 'socket' }, access('T0SOCKET01'));
    expect(result.outcome).toBe('installed');
    expect(result.linkId).toBeUndefined();
    expect(await world.links.get(rtmLinkId(app.appId, 'T0SOCKET01'))).toBeUndefined();
  });

  it('refuses an answer for another app, a user token, or no team, storing nothing', async () => {
    for (const wrong of [access('T0WRONG001', { appId: 'A0OTHER' }), access('T0WRONG001', { tokenType: 'user' }), access('T0WRONG001', { team: undefined })]) {
      await expect(completeInstall(world.deps, app, wrong)).rejects.toBeInstanceOf(InvalidInstallError);
    }
    expect(await world.installation('T0WRONG001')).toBeUndefined();
  });
});
