import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createJsonLogger } from '../../shared/adapters/log';
import type { Logger } from '../../shared/ports';
import { DEFAULT_LOG_ROTATION, RotatingFile, type LogRotation } from './rotating-file';

export interface EmbeddedLogs {
  /** The orchestrator's redacting JSON log: every line to `lifeline.log`, warnings and errors also to stderr. */
  log: Logger;
  /** EMF metric lines (the parent's, and the workers' split from their output) to `metrics.log`. */
  metric(line: string): void;
  /** A sink for one worker process's stdout or stderr: its log lines to `workers.log`, its EMF lines to `metrics.log`. */
  workerOutput(): Writable;
  dir: string;
  close(): Promise<void>;
}

/** What CloudWatch would read as a metric: an EMF object, which starts with its `_aws` key (shared/adapters/metrics). */
const isEmf = (line: string): boolean => line.startsWith('{"_aws":');

/**
 * Log files under `<dataDir>/logs/`: `lifeline.log` (the parent), `workers.log` (the workers'
 * output), `metrics.log` (EMF lines, which on AWS CloudWatch turns into metrics and here would
 * drown the workers' log). Each rolls over by size and at every start, keeping `rotation.keep`
 * older files (`workers.log.1` is the previous run's, or the previous 5 MiB).
 */
export function openLogs(dataDir: string, level: 'debug' | 'info' | 'warn' | 'error', rotation: LogRotation = DEFAULT_LOG_ROTATION): EmbeddedLogs {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const main = new RotatingFile(join(dir, 'lifeline.log'), rotation);
  const workers = new RotatingFile(join(dir, 'workers.log'), rotation);
  const metrics = new RotatingFile(join(dir, 'metrics.log'), rotation);
  const log = createJsonLogger({
    level,
    write: (line) => {
      main.write(`${line}\n`);
      // Lines are already redacted by the logger; a level check on the text avoids re-parsing.
      if (line.includes('"level":"warn"') || line.includes('"level":"error"')) process.stderr.write(`${line}\n`);
    },
  });
  const route = (line: string): void => (isEmf(line) ? metrics : workers).write(`${line}\n`);
  return {
    log,
    metric: (line) => metrics.write(`${line}\n`),
    workerOutput: () => lineRouter(route),
    dir,
    close: async () => {
      for (const file of [main, workers, metrics]) file.close();
    },
  };
}

/** Whole lines to `route`, however the pipe cuts the chunks; a last line without its newline at the end. */
function lineRouter(route: (line: string) => void): Writable {
  let partial = '';
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) route(line);
      done();
    },
    final(done) {
      if (partial) route(partial);
      partial = '';
      done();
    },
  });
}
