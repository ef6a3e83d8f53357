import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../shared/slack-simulator/main.ts', import.meta.url));

describe('npm run simulator', () => {
  it('prints its URLs and a working demo token, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('signing secret')) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`exited early: ${code}`)));
    });
    const apiUrl = /Web API \(slackApiUrl\): (\S+)/.exec(out)?.[1];
    const token = /classic bot token \(RTM\):\s+(\S+)/.exec(out)?.[1];
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await fetch(`${apiUrl}rtm.connect`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ ok: true });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
