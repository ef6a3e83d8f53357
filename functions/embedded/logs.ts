import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createJsonLogger } from '../../shared/adapters/log';
import type { Logger } from '../../shared/ports';

export interface EmbeddedLogs {
  /** The orchestrator's redacting JSON log: every line to `lifeline.log`, warnings and errors also to stderr. */
  log: Logger;
  /** Where worker processes' stdout and stderr go (their JSON logs and EMF metrics). */
  workers: WriteStream;
  dir: string;
  close(): Promise<void>;
}

/** Log files under `<dataDir>/logs/`, started afresh each run so they never grow without bound. */
export function openLogs(dataDir: string, level: 'debug' | 'info' | 'warn' | 'error'): EmbeddedLogs {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const main = createWriteStream(join(dir, 'lifeline.log'), { flags: 'w' });
  const workers = createWriteStream(join(dir, 'workers.log'), { flags: 'w' });
  const log = createJsonLogger({
    level,
    write: (line) => {
      main.write(`${line}\n`);
      // Lines are already redacted by the logger; a level check on the text avoids re-parsing.
      if (line.includes('"level":"warn"') || line.includes('"level":"error"')) process.stderr.write(`${line}\n`);
    },
  });
  const end = (stream: WriteStream) => new Promise<void>((resolve) => stream.end(() => resolve()));
  return { log, workers, dir, close: async () => void (await Promise.all([end(main), end(workers)])) };
}
