import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { scanCaptureDir } from './log-scan';

// vitest `globalSetup` entry: a fresh capture directory per run, scanned when the run ends. A leak
// fails the run, naming file, line and kind, with the secret itself masked. Vitest only logs a
// teardown's error and keeps its exit code, so the exit code is set here as well. List this file
// first in `globalSetup`: teardowns run in reverse, so every other service has stopped by then.

export default function setup(project: TestProject): () => void {
  const dir = resolve('.cache/log-capture', `run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  project.provide('logCaptureDir', dir);
  return () => {
    const { files, lines, leaks } = scanCaptureDir(dir);
    if (leaks.length > 0) {
      const report = leaks.slice(0, 20).map((l) => `  ${l.file}:${l.line} ${l.what}: ${l.excerpt}`).join('\n');
      process.exitCode = 1;
      throw new Error(`secrets found in test output (${leaks.length} in ${lines} lines, ${files} files; kept in ${dir}):\n${report}`);
    }
    console.log(`log scan: ${lines} captured lines from ${files} test processes, no token or secret found`);
    rmSync(dir, { recursive: true, force: true });
  };
}
