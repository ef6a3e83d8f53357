import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../functions/cli/run';

// The conventions of Node tools: help on stdout with 0, usage errors on stderr with 2, --version.
// The bin is run as npx runs it (a process, its exit status); the rest through runCli in-process.
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

function bin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/lifeline.js', ...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // No npm start runs on this data dir: a command that got past parsing fails (1), never 0 or 2.
  const io: CliIo = { out: (t) => void (stdout += `${t}\n`), err: (t) => void (stderr += `${t}\n`), env: { PORT: '1', LIFELINE_DATA_DIR: '/nonexistent/lifeline' }, cwd: process.cwd(), now: () => 0 };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('lifeline (the bin, as npx runs it)', () => {
  it('--help and no command print the usage on stdout and exit 0', { timeout: 30_000 }, async () => {
    for (const args of [['--help'], ['-h'], []]) {
      const { code, stdout, stderr } = await bin(args);
      expect({ args, code }).toEqual({ args, code: 0 });
      expect(stdout).toMatch(/^usage: lifeline <command>/);
      expect(stderr).toBe('');
    }
  });

  it('an unknown option exits 2 with the reason and the usage on stderr, nothing on stdout', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await bin(['status', '--frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Unknown option '--frobnicate'");
    expect(stderr).toContain('usage: lifeline <command>');
  });

  it('--version prints package.json\'s version', { timeout: 30_000 }, async () => {
    const { code, stdout } = await bin(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });
});

describe('usage errors exit 2 with the usage on stderr', () => {
  const cases: [string, string[], string][] = [
    ['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
    ['a missing option value', ['links', '--state'], "'--state <value>' argument missing"],
    ['an unknown state', ['links', '--state', 'sleeping'], '--state must be one of '],
    ['deactivate without a target', ['deactivate'], 'deactivate needs a team id, or --app'],
    ['deactivate with a team and --app', ['deactivate', 'T1', '--app', 'A1'], '(not both)'],
    ['an extra argument', ['status', 'T1'], "unexpected argument 'T1'"],
    ['a links filter on another command', ['status', '--owner', 'w1'], '--owner filters `links` only'],
    ['two places to look', ['status', '--stack', 'S', '--url', 'http://localhost:3000'], 'give one'],
  ];
  for (const [what, args, reason] of cases) {
    it(what, async () => {
      const { code, stdout, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(reason);
      expect(stderr).toContain('usage: lifeline <command>');
    });
  }

  it('a command that parses but cannot run exits 1 with one line and no usage', async () => {
    const { code, stderr } = await cli(['status']);
    expect(code).toBe(1);
    expect(stderr).toContain('no operator token at /nonexistent/lifeline/operator-token');
    expect(stderr).not.toContain('usage:');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
