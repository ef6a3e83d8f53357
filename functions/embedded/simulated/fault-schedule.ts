import { rtmLinkId } from '../../../shared/app';
import type { Logger, Workflow } from '../../../shared/ports';
import { reinstallSimulated, type SimulatedInstallDeps } from './simulated-installations';
import { SIM_RTM_SCOPES, type SimulatedSlack } from './simulated-slack';

export interface FaultScheduleOptions {
  world: SimulatedSlack;
  /** Where a reinstall's new token goes: the installation store, sealed. */
  installs: SimulatedInstallDeps;
  workflow: Workflow;
  log: Logger;
  note(text: string): void;
  /** Time between steps. Default 15,000. */
  stepMs?: number;
  random?: () => number;
}

type Step = (o: FaultScheduleOptions) => string | undefined;

const pick = <T>(items: readonly T[], random: () => number): T | undefined => items[Math.floor(random() * items.length)];

const openRtm = (o: FaultScheduleOptions) => o.world.sim.sockets({ protocol: 'rtm' }).filter((s) => s.helloAt > 0 && !s.blackHoled && o.world.rtmTeams.includes(s.key));

const drop: Step = (o) => {
  const socket = pick(openRtm(o), o.random ?? Math.random);
  if (!socket) return undefined;
  o.world.sim.faults.kill({ socketId: socket.socketId });
  return `simulator dropped the RTM socket of ${socket.key} (TCP reset, no close frame)`;
};

const silence: Step = (o) => {
  const socket = pick(openRtm(o), o.random ?? Math.random);
  if (!socket) return undefined;
  o.world.sim.faults.blackHole({ socketId: socket.socketId }, 60_000);
  return `simulator silenced the RTM socket of ${socket.key} (black hole: no frames, no pongs)`;
};

const refresh: Step = (o) => {
  // One socket at a time: each refresh costs an apps.connections.open (Tier 1).
  const socket = o.world.sim.sockets({ appId: o.world.smApp.appId, protocol: 'socket_mode' }).find((s) => s.helloAt > 0 && !s.blackHoled);
  if (!socket) return undefined;
  o.world.sim.faults.disconnect({ socketId: socket.socketId }, 'refresh_requested');
  return `simulator asked a Socket Mode socket of ${socket.key} to refresh (refresh_requested): new socket first, then the old one closes`;
};

// The disabled and uninstalled workspaces: the third and fourth, so small demos have them too.
const disabledTeam = (o: FaultScheduleOptions) => o.world.rtmTeams[2];
const uninstalledTeam = (o: FaultScheduleOptions) => o.world.rtmTeams[3];

const disable: Step = (o) => {
  const team = disabledTeam(o);
  if (!team) return undefined;
  o.world.sim.setWorkspaceStatus(team, 'inactive', o.world.rtmApp.appId);
  return `simulator disabled the integration in ${team} (account_inactive): its link parks`;
};

const uninstall: Step = (o) => {
  const team = uninstalledTeam(o);
  if (!team) return undefined;
  o.world.sim.uninstall(o.world.rtmApp.appId, team);
  return `simulator uninstalled the app from ${team} (invalid_auth): its link is revoked`;
};

const reinstall: Step = (o) => {
  const team = uninstalledTeam(o);
  if (!team) return undefined;
  const ws = o.world.sim.install(o.world.rtmApp.appId, team);
  void reinstallSimulated(o.installs, ws, SIM_RTM_SCOPES, Date.now())
    .then((record) => o.workflow.startReactivation({ linkId: rtmLinkId(ws.appId, team), appId: ws.appId, teamId: team, tokenVersion: record.tokenVersion }))
    .catch((error: unknown) => o.log.error('reactivation failed', { team, error }));
  return `${team} installed the app again (a new token): reactivation verifies it and reconnects the link`;
};

// A gentle loop: a drop or a silent socket every step, a refresh now and then, and once each a
// disable and an uninstall followed by a reinstall. Rate limits are on, so it stays well under
// Tier 1 (1 rtm.connect per minute per workspace, bursts of 4).
const SCRIPT: Step[] = [drop, silence, refresh, disable, drop, uninstall, silence, drop, reinstall, silence, refresh];
const LOOP: Step[] = [drop, silence, drop, silence, refresh, drop];

/** Runs the simulated fault schedule until stopped; each fault is also a line on the live feed. */
export function startFaultSchedule(options: FaultScheduleOptions): { stop(): void } {
  let index = 0;
  const timer = setInterval(() => {
    const step = index < SCRIPT.length ? SCRIPT[index] : LOOP[(index - SCRIPT.length) % LOOP.length];
    index += 1;
    try {
      const text = step?.(options);
      if (text) {
        options.note(text);
        options.log.info('simulated fault', { fault: text });
      }
    } catch (error) {
      options.log.warn('simulated fault failed', { error });
    }
  }, options.stepMs ?? 15_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
