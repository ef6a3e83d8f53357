import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** How much of each log is kept: files past `maxBytes` roll to `.1`, `.2`, … and at most `keep` of them stay. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** 5 MiB a file and 5 older files: at most 30 MiB per log (`lifeline.log`, `workers.log`, `metrics.log`). */
export const DEFAULT_LOG_ROTATION: Readonly<LogRotation> = Object.freeze({ maxBytes: 5 * 1024 * 1024, keep: 5 });

/**
 * An append-only log file that rolls over: at open (the previous run's file becomes `.1`, so a
 * crash's log survives the restart that follows it) and whenever the next write would pass
 * `maxBytes`. Writes are synchronous: a line is on disk before the process can die, in the order
 * written, and a few lines a second cost nothing; an async stream would lose its queue in a crash.
 */
export class RotatingFile {
  private fd: number;
  private size = 0;

  constructor(readonly path: string, private readonly rotation: LogRotation = DEFAULT_LOG_ROTATION) {
    this.shift();
    this.fd = openSync(path, 'a', 0o600);
  }

  write(text: string): void {
    const bytes = Buffer.from(text);
    if (this.size > 0 && this.size + bytes.length > this.rotation.maxBytes) {
      closeSync(this.fd);
      this.shift();
      this.fd = openSync(this.path, 'a', 0o600);
      this.size = 0;
    }
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** `path.(keep-1)` → `path.keep` … `path` → `path.1`; what would pass `keep` is deleted. */
  private shift(): void {
    const { keep } = this.rotation;
    if (keep <= 0) {
      rmSync(this.path, { force: true });
      return;
    }
    rmSync(`${this.path}.${keep}`, { force: true });
    for (let n = keep - 1; n >= 1; n--) if (existsSync(`${this.path}.${n}`)) renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
  }
}
