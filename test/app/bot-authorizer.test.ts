import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { InstallationBotAuthorizer, InstallationCredentials } from '../../shared/app';
import { BotAuthorizationError } from '../../shared/ports';
import { reinstallSimulated, saveSimulatedInstallation } from '../../functions/embedded/simulated/simulated-installations';
import { World } from '../worker/harness/world';

/** Bolt's authorize over installations on dynalite, tokens sealed with the key file, bot ids from the simulator. */
describe('InstallationBotAuthorizer', () => {
  let world: World;
  let authorizer: InstallationBotAuthorizer;

  beforeAll(async () => {
    world = await World.start();
    const slack = new HttpSlackApi({ apiUrl: world.sim.apiUrl });
    const credentials = new InstallationCredentials({ installations: world.installations, cipher: world.cipher, slack, apps: world.apps, clock: Date, log: world.log });
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
});
