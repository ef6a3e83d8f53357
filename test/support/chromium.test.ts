import { accessSync, constants } from 'node:fs';
import type { Browser, LaunchOptions } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { installedChromium, launchChromium, NoChromiumError, type ChromiumSearch } from './chromium';

// The search order on made-up machines: which files "exist", and a launcher that records what it
// was asked for (Chrome's channel is "not installed" on every made-up machine).
const launches: LaunchOptions[] = [];
const recordingLaunch = async (options: LaunchOptions): Promise<Browser> => {
  launches.push(options);
  if (options.channel) throw new Error("Chromium distribution 'chrome' is not found at /opt/google/chrome/chrome");
  return {} as Browser;
};
const machine = (files: string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux', arch = 'x64'): ChromiumSearch => ({
  env,
  platform,
  arch,
  isExecutable: (path) => files.includes(path),
  launch: recordingLaunch,
});

describe('finding a browser for the tests', () => {
  it('takes LIFELINE_CHROMIUM first, even over a chromium on the PATH', () => {
    const search = machine(['/opt/my/chrome', '/usr/bin/chromium'], { LIFELINE_CHROMIUM: '/opt/my/chrome', PATH: '/usr/bin' });
    expect(installedChromium(search)).toEqual({ source: 'LIFELINE_CHROMIUM', executablePath: '/opt/my/chrome' });
  });

  it('fails loudly when LIFELINE_CHROMIUM names nothing, instead of quietly using another browser', () => {
    const search = machine(['/usr/bin/chromium'], { LIFELINE_CHROMIUM: '/nowhere/chrome', PATH: '/usr/bin' });
    expect(() => installedChromium(search)).toThrow(NoChromiumError);
    expect(() => installedChromium(search)).toThrow(/LIFELINE_CHROMIUM=\/nowhere\/chrome is not an executable file/);
  });

  it('then looks on the PATH, in PATH order, for each known name', () => {
    const search = machine(['/b/chromium-browser', '/a/google-chrome', '/b/chromium'], { PATH: '/a:/b' });
    expect(installedChromium(search)).toEqual({ source: 'PATH', executablePath: '/b/chromium' });
    expect(installedChromium(machine(['/b/google-chrome'], { PATH: '/a:/b' }))).toEqual({ source: 'PATH', executablePath: '/b/google-chrome' });
  });

  it('then, on macOS only, the Chrome application bundle', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(installedChromium(machine([chrome], { PATH: '/usr/bin' }, 'darwin', 'arm64'))).toEqual({ source: 'macOS app', executablePath: chrome });
    expect(installedChromium(machine([chrome], { PATH: '/usr/bin' }, 'linux'))).toBeUndefined();
  });

  it('says what to set when a machine has no browser at all and no packaged one fits it', async () => {
    const bare = machine([], { PATH: '/nowhere' }, 'freebsd', 'x64');
    const launched = launchChromium({}, bare);
    await expect(launched).rejects.toThrow(NoChromiumError);
    await expect(launched).rejects.toThrow(/Set LIFELINE_CHROMIUM/);
    await expect(launched).rejects.toThrow(/no Chrome where playwright-core looks.*no build for freebsd\/x64/);
  });

  it('launches what it found with the headless flags, and on bare Linux x64 the packaged Chromium after trying Chrome', { timeout: 60_000 }, async () => {
    launches.length = 0;
    await launchChromium({}, machine(['/usr/bin/chromium'], { PATH: '/usr/bin' }));
    expect(launches).toEqual([expect.objectContaining({ executablePath: '/usr/bin/chromium', args: expect.arrayContaining(['--headless', '--no-sandbox']) })]);

    launches.length = 0;
    await launchChromium({}, machine([], { PATH: '/nowhere' }, 'linux', 'x64'));
    expect(launches.map((l) => l.channel ?? 'path')).toEqual(['chrome', 'path']);
    // The real package, unpacked for real: an executable the launcher would start.
    const packaged = launches[1]!.executablePath!;
    expect(() => accessSync(packaged, constants.X_OK)).not.toThrow();
  });
});
