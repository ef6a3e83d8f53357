import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogs } from '../../functions/embedded/logs';
import { RotatingFile } from '../../functions/embedded/rotating-file';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = (): string => (dir = mkdtempSync(join(tmpdir(), 'lifeline-rotate-')));
const read = (path: string): string => readFileSync(path, 'utf8');

describe('log files that roll over by size and count', () => {
  it('rolls when the next line would pass maxBytes, keeping `keep` older files, oldest dropped', () => {
    const path = join(fresh(), 'workers.log');
    const file = new RotatingFile(path, { maxBytes: 100, keep: 2 });
    const line = (n: number) => `${String(n).padStart(2, '0')} ${'x'.repeat(36)}\n`; // 40 bytes
    for (let n = 1; n <= 8; n++) file.write(line(n));
    file.close();
    // Two lines a file (a third would make 120 > 100): 7-8 current, 5-6 in .1, 3-4 in .2, 1-2 dropped.
    expect(read(path)).toBe(line(7) + line(8));
    expect(read(`${path}.1`)).toBe(line(5) + line(6));
    expect(read(`${path}.2`)).toBe(line(3) + line(4));
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('a line longer than maxBytes is written whole, never split or lost', () => {
    const path = join(fresh(), 'lifeline.log');
    const file = new RotatingFile(path, { maxBytes: 10, keep: 1 });
    file.write('a very long line indeed\n');
    file.close();
    expect(read(path)).toBe('a very long line indeed\n');
  });

  it('each open starts a new file: the previous one becomes .1', () => {
    const path = join(fresh(), 'metrics.log');
    const first = new RotatingFile(path, { maxBytes: 1_000, keep: 3 });
    first.write('run 1\n');
    first.close();
    const second = new RotatingFile(path, { maxBytes: 1_000, keep: 3 });
    second.write('run 2\n');
    second.close();
    expect(read(path)).toBe('run 2\n');
    expect(read(`${path}.1`)).toBe('run 1\n');
  });
});

describe('embedded logs: metrics apart from the workers\' lines', () => {
  it('splits a worker\'s output by line, however the pipe cuts it: EMF to metrics.log, the rest to workers.log', async () => {
    const logs = openLogs(fresh(), 'info', { maxBytes: 1_000_000, keep: 1 });
    const out = logs.workerOutput();
    const emf = '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"Connects":1}';
    const logLine = '{"level":"info","msg":"socket open"}';
    const text = `${logLine}\n${emf}\n${logLine}\npartial line without newline`;
    // Chunks cut mid-line and mid-EMF object, as a pipe may deliver them.
    const cuts = [0, 5, 40, 41, 90, text.length];
    for (let i = 0; i < cuts.length - 2; i++) out.write(text.slice(cuts[i], cuts[i + 1]));
    out.end(text.slice(cuts[cuts.length - 2]));
    await new Promise((resolve) => out.once('finish', resolve));
    logs.metric('{"_aws":{"Timestamp":2},"Restarts":1}');
    await logs.close();
    expect(read(join(dir, 'logs', 'workers.log'))).toBe(`${logLine}\n${logLine}\npartial line without newline\n`);
    expect(read(join(dir, 'logs', 'metrics.log'))).toBe(`${emf}\n{"_aws":{"Timestamp":2},"Restarts":1}\n`);
  });
});
