import type { InstallationStore, ParkOutcome } from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { installationLinkId, type InstalledApp } from './installation-links';
import { announceLifecycle, type LifecycleNoticeDeps } from './lifecycle-notice';

export interface ParkInstallationDeps extends ApplyEventDeps, DetachedEffectDeps, Pick<LifecycleNoticeDeps, 'sink'> {
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
 * install (a late retry after a reinstall) changes nothing. The same use case serves every path
 * that learns of an uninstall (the signed HTTP event, the same event over a Socket Mode socket, a
 * Bolt `deleteInstallation`), so they are idempotent across each other: whichever comes first
 * parks and tells the bot (`lifeline_parked`), the others find it `already_parked` and stay quiet.
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
    if (parked.outcome === 'parked') {
      await announceLifecycle(deps, {
        kind: 'lifeline_parked', appId: app.appId, protocol: app.protocol, installId, reason: request.reason,
        ...(parked.record ? { tokenVersion: parked.record.tokenVersion } : {}),
      });
    }
    return { outcome: parked.outcome, installId, ...(linkId ? { linkId } : {}) };
  }
  return { outcome: 'not_found' };
}
