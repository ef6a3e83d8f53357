import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { InstallationBotAuthorizer, InstallationCredentials, parkInstallation } from '../../shared/app';
import { BotAuthorizationError } from '../../shared/ports';
import { reinstallSimulated, saveSimulatedInstallation } from '../../functions/embedded/simulated/simulated-installations';
import { World } from '../worker/harness/world';

/** Bolt's authorize over installations on dynalite, tokens sealed with the key file, bot ids from the simulator. */
describe('InstallationBotAuthorizer', () => {
  let world: World;
  let authorizer: InstallationBotAuthorizer;
  let credentials: InstallationCredentials;
  let slack: HttpSlackApi;

  beforeAll(async () => {
    world = await World.start();
    slack = new HttpSlackApi({ apiUrl: world.sim.apiUrl });
    credentials = new InstallationCredentials({ installations: world.installations, cipher: world.cipher, slack, apps: world.apps, clock: Date, log: world.log });
    authorizer = new InstallationBotAuthorizer({ installations: world.installations, credentials, slack });
  });
  afterAll(async () => world?.stop());

  const installed = async () => {
    const app = world.sim.addApp({ socketMode: true });
    const ws = world.sim.addWorkspace({ appId: app.appId });
    await saveSimulatedInstallation(world, ws, ['chat:write'], 7, Date.now());
    return ws;
  };

  it("gives the team's bot token, bot user id and bot id, as the installation holds them", async () => {
    const ws = await installed();
    const result = await authorizer.authorize({ appId: ws.appId, teamId: ws.teamId, isEnterpriseInstall: false });
    expect(result).toEqual({ botToken: ws.botToken, botUserId: ws.botUserId, botId: ws.botId, teamId: ws.teamId, tokenVersion: 7 });
  });

  it('gives the current token after a reinstall replaced it', async () => {
    const ws = await installed();
    world.sim.uninstall(ws.appId, ws.teamId);
    const again = world.sim.install(ws.appId, ws.teamId);
    expect(again.botToken).not.toBe(ws.botToken);
    await reinstallSimulated(world, again, ['chat:write'], Date.now());
    const result = await authorizer.authorize({ appId: ws.appId, teamId: ws.teamId, isEnterpriseInstall: false });
    expect(result).toMatchObject({ botToken: again.botToken, tokenVersion: 8 });
  });

  it('refuses a parked team with a message that says so', async () => {
    const ws = await installed();
    await world.installations.park({ appId: ws.appId, installId: ws.teamId, reason: 'app_uninstalled', now: Date.now() });
    const error = await authorizer.authorize({ appId: ws.appId, teamId: ws.teamId, isEnterpriseInstall: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotAuthorizationError);
    expect((error as Error).message).toBe(`team ${ws.teamId} is parked (app_uninstalled): Lifeline holds no usable token for app ${ws.appId} there until it is reinstalled`);
  });

  it('refuses org-wide installs, an unknown team, and a payload without team or app, each with its reason', async () => {
    const ws = await installed();
    await expect(authorizer.authorize({ appId: ws.appId, enterpriseId: 'E1', isEnterpriseInstall: true })).rejects.toThrow(/org-wide installs are not supported/);
    await expect(authorizer.authorize({ appId: ws.appId, teamId: 'TNOBODY', isEnterpriseInstall: false })).rejects.toThrow(`app ${ws.appId} is not installed in team TNOBODY`);
    await expect(authorizer.authorize({ appId: ws.appId, isEnterpriseInstall: false })).rejects.toThrow(/names no team/);
    await expect(authorizer.authorize({ teamId: ws.teamId, isEnterpriseInstall: false })).rejects.toThrow(/names no app/);
  });

  describe("as Bolt's InstallationStore (queries name no app)", () => {
    const store = (appIds: string[]) => new InstallationBotAuthorizer({
      installations: world.installations, credentials, slack, appIds,
      park: async (appId, teamId) => ({ outcome: (await parkInstallation({ ...world.appDeps(), installations: world.installations }, { appId, protocol: 'socket' }, { teamId, reason: 'app_uninstalled' })).outcome }),
    });

    it("reads the installation of whichever served app is installed in the team", async () => {
      const ws = await installed();
      const found = await store(['A0NOTHERE', ws.appId]).fetchInstallation({ teamId: ws.teamId, isEnterpriseInstall: false });
      expect(found).toMatchObject({ appId: ws.appId, teamId: ws.teamId, botToken: ws.botToken, botUserId: ws.botUserId, botId: ws.botId, scopes: ['chat:write'], tokenVersion: 7 });
      await expect(store(['A0NOTHERE']).fetchInstallation({ teamId: ws.teamId, isEnterpriseInstall: false })).rejects.toThrow(`none of this Lifeline's apps (A0NOTHERE) is installed in team ${ws.teamId}`);
    });

    it('parks the installation on delete: the next authorize says it is parked', async () => {
      const ws = await installed();
      const served = store([ws.appId]);
      expect(await served.deleteInstallation({ teamId: ws.teamId, isEnterpriseInstall: false })).toEqual({ outcome: 'parked' });
      expect((await world.installations.get({ appId: ws.appId, installId: ws.teamId }))?.active).toBe(false);
      await expect(served.authorize({ appId: ws.appId, teamId: ws.teamId, isEnterpriseInstall: false })).rejects.toThrow(/is parked \(app_uninstalled\)/);
    });
  });
});
