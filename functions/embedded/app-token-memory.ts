import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTokenFingerprint } from '../../shared/app';
import type { AppTokenMemory } from '../../shared/ports';

const FILE = 'app-tokens.json';

/**
 * Remembers, per app, a fingerprint of the app token the last start ran with (`<dataDir>/app-tokens.json`,
 * 0600, a digest: never the token) and says whether this start's token differs. A Socket Mode
 * app's pool links parked for their app token stay parked across restarts with the same token,
 * and come back when the token was changed (the person fixed a typo in `SLACK_APP_TOKEN`).
 * Nothing remembered (a first start, or a data dir from before this file) counts as changed:
 * one connect tells, and the fingerprint is remembered from then on.
 */
export function appTokenChanged(dataDir: string, appId: string, appToken: string): boolean {
  return rememberFingerprint(dataDir, appId, appTokenFingerprint(appToken));
}

/**
 * The `AppTokenMemory` port's embedded twin (AWS keeps it in the table): one `npm start` process
 * reads and writes the file, so compare-and-remember needs no more than this.
 */
export class FileAppTokenMemory implements AppTokenMemory {
  constructor(private readonly dataDir: string) {}

  remember(appId: string, fingerprint: string): Promise<boolean> {
    return Promise.resolve(rememberFingerprint(this.dataDir, appId, fingerprint));
  }
}

function rememberFingerprint(dataDir: string, appId: string, fingerprint: string): boolean {
  const path = join(dataDir, FILE);
  let known: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) known = parsed as Record<string, string>;
  } catch {
    // Missing or unreadable: nothing remembered.
  }
  const changed = known[appId] !== fingerprint;
  if (changed) writeFileSync(path, `${JSON.stringify({ ...known, [appId]: fingerprint }, null, 2)}\n`, { mode: 0o600 });
  return changed;
}
