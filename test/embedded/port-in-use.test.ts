import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';

// A port already in use: `npm start` says so in one line naming the key, and starts nothing
// (no data dir, no store, no workers), instead of a stack trace after everything came up.
const root = mkdtempSync(join(tmpdir(), 'lifeline-port-'));
let held: Server;
let heldPort: number;

beforeAll(async () => {
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', () => resolve()));
  heldPort = (held.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => held.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function npmStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['start'], { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LIFELINE_SIM_FAULTS: 'off', ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('npm start with a port in use', () => {
  it('PORT: one line naming PORT, exit 1, nothing started', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'operator-port');
    const { code, stderr } = await npmStart({ PORT: String(heldPort), LIFELINE_SLACK_PORT: '0', LIFELINE_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([`PORT=${heldPort} is in use (the status page and operator API): stop what holds it, or set PORT to a free port (0 picks one)`]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('LIFELINE_SLACK_PORT: one line naming LIFELINE_SLACK_PORT, exit 1, nothing started', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'slack-port');
    const { code, stderr } = await npmStart({ PORT: String(await freePort()), LIFELINE_SLACK_PORT: String(heldPort), LIFELINE_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^LIFELINE_SLACK_PORT=${heldPort} is in use \\(the Slack endpoints' listener; default PORT \\+ 1\\): stop what holds it, or set LIFELINE_SLACK_PORT to a free port`))]);
    expect(existsSync(dataDir)).toBe(false);
  });
});
