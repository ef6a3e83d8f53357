import { applyDetached, type ApplyEventDeps, type DetachedEffectDeps } from '../../shared/app';
import { LINK_STATES, type LinkEvent } from '../../shared/domain';
import type { LinkRecord, LinkStore } from '../../shared/ports';

// Operator actions, shared by the status server's API (embedded) and the CLI (against AWS).

export type OperatorDeps = ApplyEventDeps & DetachedEffectDeps;

/** Links of a workspace (RTM links whose team it is) or of an app (every link of that app id). */
export async function linksOf(links: LinkStore, teamOrApp: string): Promise<LinkRecord[]> {
  const found: LinkRecord[] = [];
  for (const state of LINK_STATES) {
    let cursor: string | undefined;
    do {
      const page = await links.listByState(state, cursor ? { cursor, limit: 500 } : { limit: 500 });
      found.push(...page.items.filter((link) => link.teamId === teamOrApp || link.appId === teamOrApp));
      cursor = page.cursor;
    } while (cursor);
  }
  return found;
}

export interface TeamActionResult {
  target: string;
  links: { id: string; from: string; to: string; changed: boolean }[];
}

/**
 * `deactivate`: DISABLED{reason: operator}, which parks the links (no connects until
 * `reactivate`); an open socket is closed by its worker when it next reconciles its links.
 * `reactivate`: REGISTERED, which brings parked links back to connecting.
 */
export async function setTeamActive(deps: OperatorDeps, teamOrApp: string, active: boolean): Promise<TeamActionResult> {
  const event: LinkEvent = active ? { type: 'REGISTERED' } : { type: 'DISABLED', reason: 'operator' };
  const targets = await linksOf(deps.links, teamOrApp);
  const links: TeamActionResult['links'] = [];
  for (const link of targets) {
    const result = await applyDetached(deps, link.id, event);
    links.push({ id: link.id, from: link.state, to: result.link.state, changed: result.changed });
  }
  return { target: teamOrApp, links };
}
