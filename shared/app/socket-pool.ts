import { createHash } from 'node:crypto';
import { isParked } from '../domain';
import type { LinkRecord } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { maxSocketModeSlots, socketModeLinkId } from './link-id';

/**
 * A Socket Mode app's pool links (`sm:<app>:<slot>`) connect with the app-level token, so when
 * they park (`invalid_auth` on `apps.connections.open`: a mistyped or revoked app token;
 * `link_disabled`: Socket Mode switched off) it is the app's configuration that is wrong, not a
 * workspace. They come back when that configuration may have been fixed: a reinstall, a restart
 * with another app token, or the operator. An operator's park is the operator's to undo.
 */
export const parkedForAppConfig = (link: LinkRecord): boolean =>
  isParked(link.state) && link.snapshot.context.parkedReason !== 'operator';

/** The pool links of an app that exist, read one by one (at most Slack's 10 slots, consistent reads). */
export async function poolLinksOf(deps: Pick<ApplyEventDeps, 'links'>, appId: string): Promise<LinkRecord[]> {
  const ids = Array.from({ length: maxSocketModeSlots }, (_, slot) => socketModeLinkId(appId, slot));
  const links = await Promise.all(ids.map((id) => deps.links.get(id)));
  return links.filter((link): link is LinkRecord => link !== undefined);
}

/**
 * REGISTERED for every pool link parked for the app's configuration: parked → connecting, and a
 * connect is queued. Returns the ids brought back (none when nothing was parked). A link that
 * moved meanwhile is left alone (`when`), so a concurrent operator park is not undone.
 */
export async function reactivateParkedPool(deps: ApplyEventDeps & DetachedEffectDeps, appId: string, reason: string): Promise<string[]> {
  const parked = (await poolLinksOf(deps, appId)).filter(parkedForAppConfig);
  const back: string[] = [];
  for (const link of parked) {
    const result = await applyDetached(deps, link.id, { type: 'REGISTERED' }, { when: parkedForAppConfig });
    if (result.changed && !isParked(result.link.state)) back.push(link.id);
  }
  if (back.length > 0) deps.log.info('Socket Mode pool links reactivated', { appId, reason, links: back });
  return back;
}

/**
 * What is kept of an app token to notice that it changed: a digest, never the token. The token is
 * a long random secret, so its digest gives nothing away that could be guessed back.
 */
export const appTokenFingerprint = (appToken: string): string => createHash('sha256').update(`lifeline-app-token:${appToken}`).digest('hex').slice(0, 32);
