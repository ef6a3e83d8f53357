import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';

const SOCKETS = 10_000;
const SWARM = fileURLToPath(new URL('./support/rtm-swarm.ts', import.meta.url));

let sim: SlackSimulator;
let child: ReturnType<typeof spawn> | undefined;
afterEach(async () => {
  child?.stdin?.end();
  await sim?.close();
});

describe('scale', () => {
  // 10,000 server sockets here and 10,000 client sockets in a child process: each process stays
  // under `ulimit -n` (20,000 on this machine) on its own.
  it(`holds ${SOCKETS} idle RTM sockets, each greeted with hello and counted open`, async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    const tokens = Array.from({ length: SOCKETS }, () => sim.addWorkspace().botToken);
    const file = join(mkdtempSync(join(tmpdir(), 'slack-sim-')), 'tokens.json');
    writeFileSync(file, JSON.stringify(tokens));
    const rssBefore = process.memoryUsage().rss;

    child = spawn(process.execPath, ['--import', 'tsx', SWARM, sim.apiUrl, file, '200'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const report = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child!.once('exit', (code) => reject(new Error(`swarm exited early with ${code}`)));
    });
    const [, hellos, , failures, , clientRss] = report.split(' ');
    expect(Number(failures)).toBe(0);
    expect(Number(hellos)).toBe(SOCKETS);

    // Every socket answers a ping after the swarm went idle: all still open end to end, and the
    // simulator closed none on its own meanwhile.
    const roundTrip = new Promise<string>((resolve) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('pongs '));
        if (line) resolve(line.trim());
      });
    });
    child.stdin!.write('ping\n');
    expect(await roundTrip).toBe(`pongs ${SOCKETS} open ${SOCKETS}`);
    expect(sim.truth.openNow()).toBe(SOCKETS);
    expect(sim.truth.maxOpen()).toBe(SOCKETS);
    expect(sim.truth.connects().filter((c) => c.outcome === 'hello')).toHaveLength(SOCKETS);
    expect(sim.truth.closes).toHaveLength(0);

    const rssAfter = process.memoryUsage().rss;
    const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
    console.log(`[scale] ${SOCKETS} idle RTM sockets: simulator RSS ${mb(rssBefore)} MB -> ${mb(rssAfter)} MB ` +
      `(+${mb(rssAfter - rssBefore)} MB, ${((rssAfter - rssBefore) / SOCKETS / 1024).toFixed(1)} KB/socket); ` +
      `client process RSS ${mb(Number(clientRss))} MB`);
  }, 180_000);
});
