import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// What must never appear in any line the tests produce: Slack token shapes, OAuth code shapes,
// and every secret a test registered (client and signing secrets, state keys, key files).

export const SECRET_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'bot/user/legacy token', pattern: /\bxox[abpr]-\d[A-Za-z0-9-]{8,}/ },
  { name: 'rotating token', pattern: /\bxoxe\.xox[bp]-\d[A-Za-z0-9-]{8,}/ },
  { name: 'refresh token', pattern: /\bxoxe-1-[A-Za-z0-9]{20,}/ },
  { name: 'app-level token', pattern: /\bxapp-1-[A-Za-z0-9-]{20,}/ },
  { name: 'OAuth code', pattern: /\b\d{12}\.\d{13}\.[A-Za-z0-9]{64}\b/ },
];

export interface Leak {
  file: string;
  line: number;
  what: string;
  excerpt: string;
}

/** Secrets shorter than this are not scanned for: they would match by chance. */
const MIN_SECRET_LENGTH = 12;

export function scanText(text: string, secrets: readonly string[], file = '<text>'): Leak[] {
  const leaks: Leak[] = [];
  const usable = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  text.split('\n').forEach((line, index) => {
    const hits = [
      ...SECRET_PATTERNS.filter(({ pattern }) => pattern.test(line)).map(({ name }) => name),
      ...(usable.some((s) => line.includes(s)) ? ['registered secret'] : []),
    ];
    // The excerpt is masked: a report about a leak must not be the leak.
    for (const what of hits) leaks.push({ file, line: index + 1, what, excerpt: mask(line, usable).slice(0, 160) });
  });
  return leaks;
}

function mask(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const { pattern } of SECRET_PATTERNS) out = out.replace(new RegExp(pattern.source, 'g'), '«masked»');
  for (const s of secrets) out = out.split(s).join('«masked»');
  return out;
}

/** Scans every `*.log` in a capture directory against every `*.secrets` there. */
export function scanCaptureDir(dir: string): { files: number; lines: number; leaks: Leak[] } {
  if (!existsSync(dir)) return { files: 0, lines: 0, leaks: [] };
  const names = readdirSync(dir);
  const secrets = names.filter((n) => n.endsWith('.secrets')).flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean));
  const logs = names.filter((n) => n.endsWith('.log'));
  let lines = 0;
  const leaks: Leak[] = [];
  for (const name of logs) {
    const text = readFileSync(join(dir, name), 'utf8');
    lines += text.split('\n').length - 1;
    leaks.push(...scanText(text, secrets, name));
  }
  return { files: logs.length, lines, leaks };
}
