import type { SlackSimulator } from '../shared/slack-simulator';
import type { LinkProtocol, LinkTarget } from './systems/types';

/** A fresh workspace (classic bot token, so RTM works) per RTM link. */
export function rtmTargets(sim: SlackSimulator, count: number): LinkTarget[] {
  return Array.from({ length: count }, () => {
    const ws = sim.addWorkspace();
    return { protocol: 'rtm', key: ws.teamId, appId: ws.appId, teamId: ws.teamId, token: ws.botToken };
  });
}

/** A fresh Socket Mode app per link: one socket per app, so each link is its own ground-truth key. */
export function socketTargets(sim: SlackSimulator, count: number): LinkTarget[] {
  return Array.from({ length: count }, () => {
    const app = sim.addApp({ socketMode: true });
    return { protocol: 'socket', key: app.appId, appId: app.appId, token: app.appToken };
  });
}

/** `count` targets spread evenly over the protocols (Lifeline holds both kinds). */
export function targetsFor(sim: SlackSimulator, protocols: readonly LinkProtocol[], count: number): LinkTarget[] {
  // Interleaved, so staggered trials alternate protocols and both see the same conditions.
  return Array.from({ length: count }, (_, index) => {
    const protocol = protocols[index % protocols.length] as LinkProtocol;
    return (protocol === 'rtm' ? rtmTargets(sim, 1) : socketTargets(sim, 1))[0] as LinkTarget;
  });
}
