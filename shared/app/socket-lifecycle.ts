import type { InstallationStore, LinkIdentity } from '../ports';
import { parkInstallation, type ParkInstallationDeps, type ParkResult } from './park-installation';

/** The fields of an Events API body that decide a park (the same over HTTP and over Socket Mode). */
export interface LifecycleEventBody {
  type?: unknown;
  api_app_id?: unknown;
  team_id?: unknown;
  enterprise_id?: unknown;
  context_enterprise_id?: unknown;
  event_id?: unknown;
  event_time?: unknown;
  event?: { type?: unknown; tokens?: { bot?: unknown } };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The reason an Events API body parks its installation with, or undefined. `app_uninstalled`
 * always; `tokens_revoked` only when a bot token is among the revoked (a user token's
 * revocation leaves the bot working, SLACK-PROTOCOL §4.1).
 */
export function lifecycleParkReason(body: LifecycleEventBody): string | undefined {
  if (body.type !== 'event_callback') return undefined;
  const type = body.event?.type;
  if (type === 'app_uninstalled') return 'app_uninstalled';
  if (type === 'tokens_revoked' && Array.isArray(body.event?.tokens?.bot) && body.event.tokens.bot.length > 0) return 'tokens_revoked';
  return undefined;
}

export interface SocketLifecycleDeps extends Omit<ParkInstallationDeps, 'installations'> {
  /** Absent: this worker cannot park (an older composition); the event is only forwarded. */
  installations?: InstallationStore;
}

/**
 * A Socket Mode app hears `app_uninstalled` and `tokens_revoked` over its socket, not over HTTP:
 * the worker that received one parks the installation with the very use case the HTTP route
 * uses (`parkInstallation`), so both paths are idempotent across each other and the bot is told
 * once. Called after the event's delivery, whatever the sink answered (Slack's word decides the
 * park, not the bot's). Returns undefined when the event is not a lifecycle event of this link's
 * app. Throws what the store throws: the caller logs it, and the next redelivery or the next
 * connect's `invalid_auth` parks it then.
 */
export async function parkFromSocketEvent(
  deps: SocketLifecycleDeps,
  link: LinkIdentity,
  kind: string,
  payload: Record<string, unknown>,
): Promise<ParkResult | undefined> {
  if (link.protocol !== 'socket' || kind !== 'events_api') return undefined;
  const body = payload as LifecycleEventBody;
  const reason = lifecycleParkReason(body);
  if (!reason) return undefined;
  if (str(body.api_app_id) !== link.appId) {
    deps.log.warn('lifecycle event for another app ignored', { linkId: link.id, appId: str(body.api_app_id) });
    return undefined;
  }
  if (!deps.installations) {
    deps.log.warn('lifecycle event received but this worker has no installation store: not parked', { linkId: link.id, reason });
    return undefined;
  }
  const eventTime = typeof body.event_time === 'number' ? body.event_time * 1000 : undefined;
  const teamId = str(body.team_id);
  const enterpriseId = str(body.enterprise_id) ?? str(body.context_enterprise_id);
  const result = await parkInstallation({ ...deps, installations: deps.installations }, { appId: link.appId, protocol: 'socket' }, {
    reason,
    ...(teamId ? { teamId } : {}),
    ...(enterpriseId ? { enterpriseId } : {}),
    ...(eventTime === undefined ? {} : { eventTime }),
  });
  const fields = { linkId: link.id, eventId: str(body.event_id), teamId, reason, outcome: result.outcome };
  if (result.outcome === 'not_found') deps.log.warn('lifecycle event over the socket for an unknown installation', fields);
  else deps.log.info('installation parked by an event over the socket', fields);
  return result;
}
