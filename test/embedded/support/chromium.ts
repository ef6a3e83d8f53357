import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Flags for Debian's Chromium as root on a machine with a closed network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's chromium (or LIFELINE_CHROMIUM); a missing browser is a failure that says how to fix it, never a skip. */
export function chromiumPath(): string {
  const configured = process.env.LIFELINE_CHROMIUM;
  if (configured && existsSync(configured)) return configured;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: the browser tests need it. Run scripts/ensure-chromium.sh (as root with apt-get), or set LIFELINE_CHROMIUM to a Chromium binary.');
  }
}

/** playwright-core gives every launch a fresh, empty profile directory of its own. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: FLAGS });
}
