import { LINK_STATES, type LinkEvent } from '../domain';
import type { LinkRecord, LinkStore } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { pagesInState } from './link-pages';

// The operator's actions on links, shared by the embedded server's API and the CLI (against AWS).
// A team and an app are different targets on purpose: parking a whole app (every Socket Mode
// slot it has) deafens the bot in every workspace, so it is only done when asked for by name
// (`--app`), never because a team id happened to equal an app id.

export type OperatorDeps = ApplyEventDeps & DetachedEffectDeps;

/** `team`: a workspace's RTM links. `app`: every link of the app (its Socket Mode slots, and its RTM links). */
export type OperatorTarget = { kind: 'team'; id: string } | { kind: 'app'; id: string };

export interface OperatorActionResult {
  target: OperatorTarget;
  links: { id: string; from: string; to: string; changed: boolean }[];
  /** Set when nothing matched a team id but links of an app with that id exist: the caller meant `--app`? */
  appIdGivenAsTeam?: boolean;
}

const matches = (target: OperatorTarget) => (link: LinkRecord): boolean =>
  target.kind === 'team' ? link.teamId === target.id : link.appId === target.id;

/** Every link, a page at a time per state (the store has no other full listing). */
export async function forEachLink(links: LinkStore, visit: (link: LinkRecord) => void): Promise<void> {
  for (const state of LINK_STATES) for await (const page of pagesInState(links, state, { limit: 500 })) page.forEach(visit);
}

/**
 * `active: false` (deactivate): DISABLED{reason: operator}, which parks the links (no connects
 * until reactivated); an open socket is closed by its worker when it next reconciles its links.
 * `active: true` (reactivate): REGISTERED, which brings parked links back to connecting.
 */
export async function setLinksActive(deps: OperatorDeps, target: OperatorTarget, active: boolean): Promise<OperatorActionResult> {
  const event: LinkEvent = active ? { type: 'REGISTERED' } : { type: 'DISABLED', reason: 'operator' };
  const targets: LinkRecord[] = [];
  let appIdGivenAsTeam = false;
  const isTarget = matches(target);
  await forEachLink(deps.links, (link) => {
    if (isTarget(link)) targets.push(link);
    else if (target.kind === 'team' && link.appId === target.id) appIdGivenAsTeam = true;
  });
  const links: OperatorActionResult['links'] = [];
  for (const link of targets) {
    const result = await applyDetached(deps, link.id, event);
    links.push({ id: link.id, from: link.state, to: result.link.state, changed: result.changed });
  }
  return { target, links, ...(targets.length === 0 && appIdGivenAsTeam ? { appIdGivenAsTeam } : {}) };
}
