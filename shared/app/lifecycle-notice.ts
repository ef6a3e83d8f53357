import type { LinkProtocol } from '../domain';
import type { Logger, Sink, SinkEvent } from '../ports';
import { installationLinkId } from './installation-links';

/** What the bot hears about a workspace's (or a Socket Mode app's) life on Lifeline. */
export type LifecycleKind = 'lifeline_installed' | 'lifeline_parked' | 'lifeline_reactivated';

export const LIFECYCLE_KINDS: readonly LifecycleKind[] = ['lifeline_installed', 'lifeline_parked', 'lifeline_reactivated'];

export const isLifecycleKind = (kind: string): kind is LifecycleKind => (LIFECYCLE_KINDS as readonly string[]).includes(kind);

/**
 * One notice. `installId` names a workspace (or an org-wide install's enterprise); a notice about
 * a Socket Mode app's pool (its app token parked, or a restart with a new one) names no
 * workspace and lists the pool links instead.
 */
export interface LifecycleNotice {
  kind: LifecycleKind;
  appId: string;
  protocol: LinkProtocol;
  installId?: string;
  /** Why: `app_uninstalled`, `tokens_revoked`, `operator`, `invalid_auth`, `link_disabled`, `reinstalled`, `app_token_changed`, ... */
  reason: string;
  /** The links the change moved (an RTM install's link, a Socket Mode app's pool links). */
  linkIds?: string[];
  /** The installation's token version after the change, when it has one. */
  tokenVersion?: number;
}

export interface LifecycleNoticeDeps {
  /** Absent where the bot cannot be reached from (a Lambda without a bus): the change is only logged. */
  sink?: Sink;
  clock: { now(): number };
  log: Logger;
}

/** The payload the bot gets: snake_case like Slack's own events, so a Bolt app reads it the same way. */
export interface LifecyclePayload {
  type: LifecycleKind;
  app_id: string;
  team_id?: string;
  reason: string;
  link_ids: string[];
  token_version?: number;
  event_ts: string;
}

/**
 * The notice as a `SinkEvent`, the shape every other event travels in. Its id is the dedupe key a
 * bot may use: kind, app, workspace and the moment, so a repeat of the same change (an idempotent
 * park found `already_parked`) is never announced, and two real changes never share an id.
 */
export function lifecycleSinkEvent(notice: LifecycleNotice, now: number): SinkEvent {
  const scope = notice.installId ?? 'app';
  const linkIds = notice.linkIds ?? (notice.installId ? [installationLinkId(notice, notice.installId)].filter((id): id is string => id !== undefined) : []);
  const payload: LifecyclePayload = {
    type: notice.kind,
    app_id: notice.appId,
    ...(notice.installId ? { team_id: notice.installId } : {}),
    reason: notice.reason,
    link_ids: linkIds,
    ...(notice.tokenVersion === undefined ? {} : { token_version: notice.tokenVersion }),
    event_ts: (now / 1000).toFixed(3),
  };
  return {
    id: `${notice.appId}:${notice.kind}:${scope}:${now}`,
    linkId: linkIds[0] ?? `${notice.protocol === 'rtm' ? 'rtm' : 'sm'}:${notice.appId}:${scope}`,
    protocol: notice.protocol,
    appId: notice.appId,
    ...(notice.installId ? { teamId: notice.installId } : {}),
    kind: notice.kind,
    payload,
    receivedAt: now,
  };
}

/**
 * Tells the bot, through the same Sink its events take. Never throws: the change itself is
 * already stored, and a bot that refused or was away must not undo it or fail the caller (an
 * uninstall answered 500 would make Slack retry a park that succeeded). A refusal is logged.
 */
export async function announceLifecycle(deps: LifecycleNoticeDeps, notice: LifecycleNotice): Promise<boolean> {
  const fields = { kind: notice.kind, appId: notice.appId, installId: notice.installId, reason: notice.reason };
  if (!deps.sink) {
    deps.log.info('lifecycle change (no sink to tell the bot)', fields);
    return false;
  }
  try {
    const [answer] = deps.sink.deliver([lifecycleSinkEvent(notice, deps.clock.now())]);
    const settled = answer ? await answer : { ok: false as const, reason: 'no answer' };
    if (!settled.ok) deps.log.warn('the bot refused a lifecycle notice', { ...fields, why: settled.reason });
    else deps.log.info('lifecycle notice delivered', fields);
    return settled.ok;
  } catch (error) {
    deps.log.warn('lifecycle notice failed', { ...fields, error });
    return false;
  }
}
