import { forEachLink, rtmLinkId, socketModeLinkId, type AppSecrets } from '../../../shared/app';
import type { LinkRecord, LinkStore } from '../../../shared/ports';
import { startSlackSimulator, type AppHandle, type SlackSimulator } from '../../../shared/slack-simulator';
import type { SimulatedSlackConfig } from '../config';
import { saveSimulatedInstallation, type SimulatedInstallDeps } from './simulated-installations';

export const SIM_RTM_SCOPES = ['bot'];
export const SIM_SM_SCOPES = ['app_mentions:read', 'chat:write', 'commands', 'im:history'];

export interface SimulatedWorldDeps extends SimulatedInstallDeps {
  /** App-level secrets by app id: the Socket Mode app's `xapp-` token goes here. */
  apps: Map<string, AppSecrets>;
}

/** Fixed ids, so a restarted `npm start` finds the same workspaces behind the links it stored. */
export const SIM_RTM_APP = 'A0LIFERTM';
export const SIM_SM_APP = 'A0LIFESM';
export const simTeamId = (i: number): string => `TSIM${String(i + 1).padStart(4, '0')}`;
export const simSocketModeTeamId = (i: number): string => `TSMW${String(i + 1).padStart(4, '0')}`;

export interface SimulatedSlack {
  sim: SlackSimulator;
  rtmApp: AppHandle;
  smApp: AppHandle;
  /** Every link the simulated world asks Lifeline to hold. */
  linkIds: string[];
  rtmTeams: string[];
  /** The version the current tokens carry (grows across runs: every start mints new tokens). */
  tokenVersion: number;
  summary: string;
}

/**
 * The bundled simulator, seeded with `rtmWorkspaces` classic-app workspaces (one RTM link each)
 * and one Socket Mode app installed in `socketModeWorkspaces` workspaces (`slots` links).
 * Every workspace (Socket Mode ones too) is an installation in Lifeline's store, its bot token
 * sealed with the local key file as a real install's is; tokens are minted afresh each run and
 * the stored ones replaced (a higher token version). The Socket Mode app's app-level token is
 * app configuration (`apps`), as `SLACK_APP_TOKEN` is for real Slack. Rate limits stay on, as on
 * real Slack. Workspaces Lifeline has parked are put back in that state in the new
 * simulator, so the simulated Slack agrees with what was stored.
 */
export async function startSimulatedSlack(config: SimulatedSlackConfig, slots: number, deps: SimulatedWorldDeps, links: LinkStore): Promise<SimulatedSlack> {
  const sim = await startSlackSimulator({ port: config.port });
  const rtmApp = sim.addApp({ appId: SIM_RTM_APP, name: 'Lifeline demo (RTM)', classic: true, socketMode: false });
  const smApp = sim.addApp({ appId: SIM_SM_APP, name: 'Lifeline demo (Socket Mode)', socketMode: true });
  // Seconds since the epoch: larger than any version a previous run handed out.
  const tokenVersion = Math.floor(Date.now() / 1000);
  const rtmTeams: string[] = [];
  const linkIds: string[] = [];
  for (let i = 0; i < config.rtmWorkspaces; i++) {
    const ws = sim.addWorkspace({ appId: rtmApp.appId, teamId: simTeamId(i), teamName: `Simulated ${i + 1}` });
    await saveSimulatedInstallation(deps, ws, SIM_RTM_SCOPES, tokenVersion, Date.now());
    rtmTeams.push(ws.teamId);
    linkIds.push(rtmLinkId(rtmApp.appId, ws.teamId));
  }
  for (let i = 0; i < config.socketModeWorkspaces; i++) {
    const ws = sim.addWorkspace({ appId: smApp.appId, teamId: simSocketModeTeamId(i), teamName: `Socket Mode ${i + 1}` });
    await saveSimulatedInstallation(deps, ws, SIM_SM_SCOPES, tokenVersion, Date.now());
  }
  if (config.socketModeWorkspaces > 0) {
    deps.apps.set(smApp.appId, { appToken: smApp.appToken });
    for (let slot = 0; slot < slots; slot++) linkIds.push(socketModeLinkId(smApp.appId, slot));
  }
  // Workspaces added through "Add to Slack" in an earlier run exist only in the store: a fresh
  // simulator would answer their stored tokens with invalid_auth. Recreate them, with new tokens
  // stored in their installations.
  const seeded = new Set(rtmTeams);
  const added: LinkRecord[] = [];
  await forEachLink(links, (link) => {
    if (link.appId === rtmApp.appId && link.protocol === 'rtm' && link.teamId && !seeded.has(link.teamId)) added.push(link);
  });
  for (const link of added) {
    if (!link.teamId) continue;
    const ws = sim.addWorkspace({ appId: rtmApp.appId, teamId: link.teamId, teamName: `Added ${link.teamId}` });
    await saveSimulatedInstallation(deps, ws, SIM_RTM_SCOPES, tokenVersion, Date.now());
    rtmTeams.push(ws.teamId);
  }
  for (const teamId of rtmTeams) {
    const link = await links.get(rtmLinkId(rtmApp.appId, teamId));
    if (link?.state === 'inactive') sim.setWorkspaceStatus(teamId, 'inactive', rtmApp.appId);
    if (link?.state === 'revoked') sim.uninstall(rtmApp.appId, teamId);
  }
  const addedCount = rtmTeams.length - seeded.size;
  const summary = `${config.rtmWorkspaces} simulated RTM workspaces${addedCount > 0 ? ` (+${addedCount} added through "Add to Slack")` : ''} and one Socket Mode app in ${config.socketModeWorkspaces} workspaces (${slots} sockets), on the bundled Slack simulator at ${sim.url}; fault schedule ${config.faults ? 'on' : 'off'}`;
  return { sim, rtmApp, smApp, linkIds, rtmTeams, tokenVersion, summary };
}
