import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';

/** What Lifeline itself keeps in its data dir; a directory holding only these may be tightened. */
const OURS = new Set(['store', 'logs', 'keys', 'operator-token']);

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/**
 * The data dir holds the store, the token key, logs and the operator token: only its owner may
 * enter it. A new one is made 0700. An existing one that others can enter is tightened when it
 * holds nothing but Lifeline's own files; a directory with other files (say the project itself,
 * or /tmp) is left alone with a warning, since changing its mode could break whoever else uses it.
 * Returns what was done or found, one line each, for the operator to read.
 */
export function prepareDataDir(dir: string): { notices: string[]; warnings: string[] } {
  const notices: string[] = [];
  const warnings: string[] = [];
  let created = false;
  try {
    statSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    created = true;
  }
  // mkdir's mode passes through the umask; set it outright.
  if (created) chmodSync(dir, 0o700);
  const mode = statSync(dir).mode;
  if ((mode & 0o077) === 0) return { notices, warnings };
  const foreign = readdirSync(dir).filter((name) => !OURS.has(name) && !name.startsWith('operator-token.'));
  const ownedByUs = typeof process.getuid !== 'function' || statSync(dir).uid === process.getuid();
  if (foreign.length === 0 && ownedByUs) {
    try {
      chmodSync(dir, 0o700);
      notices.push(`data dir ${dir} was open to others (mode ${octal(mode)}); tightened to 0700`);
      return { notices, warnings };
    } catch {
      // fall through to the warning
    }
  }
  warnings.push(
    `data dir ${dir} is open to other users (mode ${octal(mode)}) and ${foreign.length > 0 ? `holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})` : 'is not ours to change'}: ` +
      `its store, logs and operator token are readable by them. Fix: chmod 700 ${dir}, or set LIFELINE_DATA_DIR to a directory of its own`,
  );
  return { notices, warnings };
}
