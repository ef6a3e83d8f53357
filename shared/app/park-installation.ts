import type { InstallationStore, ParkOutcome } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { installationLinkId, type InstalledApp } from './installation-links';

export interface ParkInstallationDeps extends ApplyEventDeps, DetachedEffectDeps {
  installations: InstallationStore;
}

export interface ParkRequest {
  /** The event's `team_id`, and its enterprise (an org-wide install is keyed by the enterprise). */
  teamId?: string;
  enterpriseId?: string;
  /** `app_uninstalled` or `tokens_revoked`. */
  reason: string;
  /** The event's `event_time`, in ms: a grant newer than this belongs to a later install. */
  eventTime?: number;
}

export interface ParkResult {
  outcome: ParkOutcome;
  installId?: string;
  linkId?: string;
}

/**
 * Slack says the app is gone from a workspace: park the installation, then revoke its link. A
 * retry of the same event finds it parked and revokes again, which the machine ignores; so a
 * crash between the two writes is repaired by Slack's retry. An event older than the current
 * install (a late retry after a reinstall) changes nothing.
 */
export async function parkInstallation(deps: ParkInstallationDeps, app: InstalledApp, request: ParkRequest): Promise<ParkResult> {
  const now = deps.clock.now();
  for (const installId of [request.teamId, request.enterpriseId]) {
    if (!installId) continue;
    const parked = await deps.installations.park({
      appId: app.appId,
      installId,
      reason: request.reason,
      now,
      ...(request.eventTime !== undefined ? { eventTime: request.eventTime } : {}),
    });
    if (parked.outcome === 'not_found') continue;
    const linkId = installationLinkId(app, installId);
    if (linkId && (parked.outcome === 'parked' || parked.outcome === 'already_parked') && (await deps.links.get(linkId))) {
      await applyDetached(deps, linkId, { type: 'REVOKED', reason: request.reason });
    }
    return { outcome: parked.outcome, installId, ...(linkId ? { linkId } : {}) };
  }
  return { outcome: 'not_found' };
}
