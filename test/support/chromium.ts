import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * The one way a test gets a browser. Found in this order, the first that exists wins:
 *   1. `LIFELINE_CHROMIUM` (a path; set but missing is an error, never silently passed over);
 *   2. a Chromium or Chrome on the PATH, then the macOS application bundles;
 *   3. Google Chrome where playwright-core knows its install location (`channel: 'chrome'`);
 *   4. on Linux x64/arm64, the Chromium inside the `@sparticuz/chromium` devDependency (unpacked
 *      into the temp dir on first use, ~3 s; runs unprivileged, needs no system package).
 * No step runs a package manager. Nothing found fails the test with what to set, never skips it.
 */

/** Headless, no sandbox (root in CI, containers), and quiet on a machine with a closed network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const MAC_APPS = ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

export interface BrowserChoice {
  /** Where it came from, for the test log and the failure message. */
  source: 'LIFELINE_CHROMIUM' | 'PATH' | 'macOS app' | 'chrome channel' | '@sparticuz/chromium';
  executablePath?: string;
  channel?: 'chrome';
}

export interface ChromiumSearch {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  arch: string;
  isExecutable(path: string): boolean;
  /** playwright-core's launch; a test passes its own to watch the choices without a browser. */
  launch(options: LaunchOptions): Promise<Browser>;
}

const hostSearch = (): ChromiumSearch => ({ env: process.env, platform: process.platform, arch: process.arch, isExecutable, launch: (options) => chromium.launch(options) });

export class NoChromiumError extends Error {
  constructor(detail: string) {
    super(
      `No Chromium or Chrome for the browser tests: ${detail}. Set LIFELINE_CHROMIUM to a Chromium/Chrome binary ` +
        "(macOS: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'), or install Chrome; on Linux x64/arm64 " +
        "'npm ci' brings one (@sparticuz/chromium).",
    );
    this.name = new.target.name;
  }
}

/** Steps 1-2: what can be found without launching anything. */
export function installedChromium(search: ChromiumSearch = hostSearch()): BrowserChoice | undefined {
  const configured = search.env.LIFELINE_CHROMIUM;
  if (configured) {
    if (!search.isExecutable(configured)) throw new NoChromiumError(`LIFELINE_CHROMIUM=${configured} is not an executable file`);
    return { source: 'LIFELINE_CHROMIUM', executablePath: configured };
  }
  const dirs = (search.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (search.isExecutable(candidate)) return { source: 'PATH', executablePath: candidate };
    }
  }
  if (search.platform === 'darwin') {
    const app = MAC_APPS.find((path) => search.isExecutable(path));
    if (app) return { source: 'macOS app', executablePath: app };
  }
  return undefined;
}

/** Launches the first browser found (see the order above). */
export async function launchChromium(options: LaunchOptions = {}, search: ChromiumSearch = hostSearch()): Promise<Browser> {
  const installed = installedChromium(search);
  if (installed) return search.launch({ ...options, executablePath: installed.executablePath, args: FLAGS });
  const tried: string[] = [`none of ${PATH_NAMES.join(', ')} on the PATH`];
  try {
    return await search.launch({ ...options, channel: 'chrome', args: FLAGS });
  } catch (error) {
    tried.push(`no Chrome where playwright-core looks (${firstLine(error)})`);
  }
  if (search.platform === 'linux' && (search.arch === 'x64' || search.arch === 'arm64')) {
    const executablePath = await sparticuzChromium().catch((error: unknown) => {
      tried.push(`@sparticuz/chromium unavailable (${firstLine(error)})`);
      return undefined;
    });
    if (executablePath) return search.launch({ ...options, executablePath, args: FLAGS });
  } else {
    tried.push(`@sparticuz/chromium has no build for ${search.platform}/${search.arch}`);
  }
  throw new NoChromiumError(tried.join('; '));
}

/** Imported only when needed: the package is Linux-only and unpacks ~67 MB on first use. */
async function sparticuzChromium(): Promise<string> {
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
