import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { startSlackSimulator, type SlackSimulator } from '../../../shared/slack-simulator';

const COUNT = 2_000;
const SWARM = join(import.meta.dirname, '../support/connection-swarm.ts');

interface SwarmReport {
  mode: string;
  count: number;
  failures: number;
  openMs: number;
  heapPerConn: number;
  externalPerConn: number;
  rssPerConn: number;
  rssMiB: number;
}

let sim: SlackSimulator;
let tokens: string[];

beforeAll(async () => {
  // URLs must survive until the child uses them; rate limits would only measure the simulator.
  sim = await startSlackSimulator({ rateLimits: false, rtm: { urlTtlMs: 600_000 } });
  tokens = Array.from({ length: COUNT }, () => sim.addWorkspace().botToken);
});
afterAll(() => sim.close());

async function urlFile(): Promise<string> {
  const api = new HttpSlackApi({ apiUrl: sim.apiUrl });
  const urls: string[] = [];
  for (let i = 0; i < tokens.length; i += 50) {
    urls.push(...(await Promise.all(tokens.slice(i, i + 50).map(async (t) => (await api.rtmConnect(t)).url))));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'lifeline-swarm-')), 'urls.json');
  writeFileSync(file, JSON.stringify(urls));
  return file;
}

function runSwarm(mode: 'lifeline' | 'raw', file: string): Promise<SwarmReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SWARM, mode, file, '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as SwarmReport);
      } catch {
        reject(new Error(`swarm ${mode} exited ${code} with: ${out}`));
      }
    });
  });
}

async function idle(): Promise<void> {
  for (let i = 0; i < 500 && sim.truth.openNow() > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
}

describe('memory per open idle connection (measured, not asserted)', () => {
  it(`${COUNT} RTM connections: Lifeline vs raw ws, client side`, async () => {
    const raw = await runSwarm('raw', await urlFile());
    await idle();
    const lifeline = await runSwarm('lifeline', await urlFile());
    await idle();
    console.log(`memory per open idle RTM connection, ${COUNT} sockets, client process only`);
    console.table([raw, lifeline]);
    console.log(`lifeline / raw: heap ${(lifeline.heapPerConn / raw.heapPerConn).toFixed(2)}x, rss ${(lifeline.rssPerConn / raw.rssPerConn).toFixed(2)}x`);
    expect(raw).toMatchObject({ count: COUNT, failures: 0 });
    expect(lifeline).toMatchObject({ count: COUNT, failures: 0 });
  }, 180_000);
});
