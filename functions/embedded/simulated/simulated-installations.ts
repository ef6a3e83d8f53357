import { sealTokens } from '../../../shared/app';
import type { InstallationRecord, InstallationStore, TokenCipher } from '../../../shared/ports';
import type { WorkspaceHandle } from '../../../shared/slack-simulator';

export interface SimulatedInstallDeps {
  installations: InstallationStore;
  cipher: TokenCipher;
}

/**
 * Makes a simulated workspace a real installation in Lifeline's store: its bot token sealed
 * with the local key file, exactly as "Add to Slack" stores one, so the RTM links connect and
 * a Bolt app's `authorize` finds it like any other install. The simulator mints new tokens each
 * run; `tokenVersion` must grow past the stored one. A stored installation that was parked stays
 * parked: only a reinstall brings it back.
 */
export async function saveSimulatedInstallation(deps: SimulatedInstallDeps, ws: WorkspaceHandle, scopes: string[], tokenVersion: number, now: number): Promise<InstallationRecord> {
  const key = { appId: ws.appId, installId: ws.teamId };
  const existing = await deps.installations.get(key);
  const sealed = await sealTokens(deps.cipher, key, { accessToken: ws.botToken }, now);
  const record: InstallationRecord = {
    appId: ws.appId,
    installId: ws.teamId,
    teamId: ws.teamId,
    teamName: ws.teamName,
    isEnterpriseInstall: false,
    botUserId: ws.botUserId,
    scopes,
    ...sealed,
    tokenVersion: Math.max(tokenVersion, (existing?.tokenVersion ?? 0) + 1),
    grantedAt: existing?.grantedAt ?? now,
    active: existing?.active ?? true,
    ...(existing?.parkedReason !== undefined ? { parkedReason: existing.parkedReason } : {}),
    ...(existing?.parkedAt !== undefined ? { parkedAt: existing.parkedAt } : {}),
    installedAt: existing?.installedAt ?? now,
    updatedAt: now,
  };
  return deps.installations.save(record, existing?.tokenVersion);
}

/** A reinstall: a new token, the installation active again. */
export async function reinstallSimulated(deps: SimulatedInstallDeps, ws: WorkspaceHandle, scopes: string[], now: number): Promise<InstallationRecord> {
  const key = { appId: ws.appId, installId: ws.teamId };
  const existing = await deps.installations.get(key);
  const sealed = await sealTokens(deps.cipher, key, { accessToken: ws.botToken }, now);
  const base = existing ?? (await saveSimulatedInstallation(deps, ws, scopes, 1, now));
  const { parkedReason: _reason, parkedAt: _at, ...rest } = base;
  return deps.installations.save({ ...rest, ...sealed, botUserId: ws.botUserId, tokenVersion: base.tokenVersion + 1, grantedAt: now, active: true, updatedAt: now }, base.tokenVersion);
}
