import { isParked } from '../domain';
import {
  InstallationExistsError,
  StaleInstallationError,
  type InstallationKey,
  type InstallationRecord,
  type InstallationStore,
  type OAuthAccess,
  type TokenCipher,
} from '../ports';
import type { ApplyEventDeps } from './apply-event';
import { applyDetached, type DetachedEffectDeps } from './detached-performer';
import { installationLinkId, type InstalledApp } from './installation-links';
import { botTokenContext, sealTokens } from './installation-secrets';
import { announceLifecycle, type LifecycleNoticeDeps } from './lifecycle-notice';
import { reactivateParkedPool } from './socket-pool';

export interface CompleteInstallDeps extends ApplyEventDeps, DetachedEffectDeps, Pick<LifecycleNoticeDeps, 'sink'> {
  installations: InstallationStore;
  cipher: TokenCipher;
}

/**
 * - `installed`: first install; the link was created and its connect queued.
 * - `reactivated`: a parked installation (or parked link) installed again; reactivation started.
 *   For a Socket Mode app, an install also brings back its pool links parked for the app token
 *   or `link_disabled` (never those an operator parked): "reinstall the app" is the runbook.
 * - `updated`: a live installation got a new token; its link was told (REGISTERED).
 * - `unchanged`: the same token for a live installation (a repeated install): nothing to do.
 */
export type InstallOutcome = 'installed' | 'reactivated' | 'updated' | 'unchanged';

export interface CompleteInstallResult {
  outcome: InstallOutcome;
  installation: InstallationRecord;
  linkId?: string;
}

/** The OAuth answer is not an install of this app (wrong app, no bot token, no team). */
export class InvalidInstallError extends Error {
  readonly code = 'INVALID_INSTALL';
  constructor(readonly reason: string) {
    super(`not a usable install: ${reason}`);
    this.name = new.target.name;
  }
}

const MAX_ROUNDS = 3;

/**
 * After a successful `oauth.v2.access`: store or update the installation with its token sealed,
 * then bring its link up the way its history calls for. Concurrent callbacks for the same
 * installation are serialised by the store's conditional writes: the loser re-reads and decides
 * again, so two callbacks never both create the link or both bump the version from one read.
 */
export async function completeInstall(
  deps: CompleteInstallDeps,
  app: InstalledApp,
  access: OAuthAccess,
): Promise<CompleteInstallResult> {
  const result = await storeAndConnect(deps, app, access);
  const { outcome, installation } = result;
  const notice = { appId: app.appId, protocol: app.protocol, installId: installation.installId, tokenVersion: installation.tokenVersion };
  if (outcome === 'installed') await announceLifecycle(deps, { ...notice, kind: 'lifeline_installed', reason: 'installed' });
  // A link's reactivation is the workflow's to announce, once its token check passed
  // (functions/workflow-tasks/reactivation-notices.ts); a Socket Mode installation owns no link
  // and is back the moment its record is active again.
  if (outcome === 'reactivated' && result.linkId === undefined) await announceLifecycle(deps, { ...notice, kind: 'lifeline_reactivated', reason: 'reinstalled' });
  if (app.protocol !== 'socket') return result;
  // The app's pool is not this workspace's, but an install is when a person fixes an app's
  // settings (Socket Mode back on, a new app token): bring parked pool links back, and say so.
  const poolLinks = await reactivateParkedPool(deps, app.appId, 'reinstalled');
  if (poolLinks.length === 0) return result;
  await announceLifecycle(deps, { appId: app.appId, protocol: 'socket', kind: 'lifeline_reactivated', reason: 'reinstalled', linkIds: poolLinks });
  return outcome === 'installed' ? result : { ...result, outcome: 'reactivated' };
}

async function storeAndConnect(deps: CompleteInstallDeps, app: InstalledApp, access: OAuthAccess): Promise<CompleteInstallResult> {
  const key = { appId: app.appId, installId: installIdOf(app, access) };
  const linkId = installationLinkId(app, key.installId);
  for (let round = 1; ; round++) {
    const existing = await deps.installations.get(key);
    const link = linkId ? await deps.links.get(linkId) : undefined;
    const parked = existing !== undefined && (!existing.active || (link !== undefined && isParked(link.state)));
    const sameToken = existing !== undefined && (await sameTokenAs(deps.cipher, key, existing, access.accessToken));
    let installation = existing;
    if (!existing || parked || !sameToken) {
      try {
        installation = await deps.installations.save(await buildRecord(deps, key, access, existing), existing?.tokenVersion);
      } catch (error) {
        const lost = error instanceof InstallationExistsError || error instanceof StaleInstallationError;
        if (lost && round < MAX_ROUNDS) continue;
        throw error;
      }
    }
    const record = installation as InstallationRecord;
    if (!linkId) {
      // A Socket Mode installation owns no link: parked, it comes back by being active again.
      const outcome = !existing ? 'installed' : parked ? 'reactivated' : record === existing ? 'unchanged' : 'updated';
      return { outcome, installation: record };
    }
    if (parked) {
      await deps.workflow.startReactivation({ linkId, appId: app.appId, teamId: key.installId, tokenVersion: record.tokenVersion });
      return { outcome: 'reactivated', installation: record, linkId };
    }
    if (!link) {
      // A first install, or one whose link was never created (a crash between the two writes).
      await applyDetached(deps, linkId, { type: 'CONNECT' });
      return { outcome: 'installed', installation: record, linkId };
    }
    if (record === existing) return { outcome: 'unchanged', installation: record, linkId };
    // A new token for a live link: connecting or backoff reconnect now; open swaps its socket.
    await applyDetached(deps, linkId, { type: 'REGISTERED', tokenVersion: record.tokenVersion });
    return { outcome: 'updated', installation: record, linkId };
  }
}

function installIdOf(app: InstalledApp, access: OAuthAccess): string {
  if (access.appId !== app.appId) throw new InvalidInstallError(`app ${access.appId} is not ${app.appId}`);
  if (access.tokenType !== 'bot') throw new InvalidInstallError(`token type ${access.tokenType}`);
  // Slack keys an org-wide install by its enterprise: the answer then carries `team: null`.
  const installId = access.isEnterpriseInstall ? access.enterprise?.id : access.team?.id;
  if (!installId) throw new InvalidInstallError(access.isEnterpriseInstall ? 'org install without an enterprise' : 'no team');
  return installId;
}

async function sameTokenAs(cipher: TokenCipher, key: InstallationKey, existing: InstallationRecord, token: string): Promise<boolean> {
  try {
    return (await cipher.decrypt(existing.tokenCiphertext, botTokenContext(key))) === token;
  } catch {
    return false; // an unreadable stored token is replaced, never trusted
  }
}

async function buildRecord(
  deps: CompleteInstallDeps,
  key: InstallationKey,
  access: OAuthAccess,
  existing: InstallationRecord | undefined,
): Promise<InstallationRecord> {
  const now = deps.clock.now();
  const sealed = await sealTokens(deps.cipher, key, access, now);
  return {
    ...key,
    ...(access.team ? { teamId: access.team.id, teamName: access.team.name } : {}),
    ...(access.enterprise ? { enterpriseId: access.enterprise.id, enterpriseName: access.enterprise.name } : {}),
    isEnterpriseInstall: access.isEnterpriseInstall,
    botUserId: access.botUserId ?? existing?.botUserId ?? '',
    scopes: access.scopes,
    ...sealed,
    tokenVersion: (existing?.tokenVersion ?? 0) + 1,
    grantedAt: now,
    active: true,
    installedAt: existing?.installedAt ?? now,
    updatedAt: now,
  };
}
