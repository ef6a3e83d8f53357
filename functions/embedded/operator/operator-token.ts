import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATOR_TOKEN_FILE } from '../../../shared/app';

export interface OperatorToken {
  value: string;
  path: string;
  /** Removes the file at stop, unless another run has replaced it meanwhile. */
  remove(): void;
}

/**
 * A fresh random token for this run, written to `<dataDir>/operator-token` (0600) for the CLI
 * and scripts on this machine. Written to a temporary name and renamed, so a reader never sees
 * half a token and an older file's looser mode is not inherited.
 */
export function writeOperatorToken(dataDir: string): OperatorToken {
  const value = randomBytes(32).toString('base64url');
  const path = join(dataDir, OPERATOR_TOKEN_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${value}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
  return {
    value,
    path,
    remove: () => {
      try {
        if (readFileSync(path, 'utf8').trim() === value) rmSync(path);
      } catch {
        // already gone
      }
    },
  };
}
