import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { createJsonLogger } from '../../shared/adapters/log';
import type { Logger } from '../../shared/ports';

// Every line a test process writes (stdout, stderr, console, and the JSON loggers tests build
// with `capturingLogger`) is appended to `<dir>/<pid>.log`; secrets the tests know are listed in
// `<dir>/<pid>.secrets`. The global teardown (`log-capture-global.ts`) scans the lot.

/** Without the global setup (a single file run by hand), captures still land somewhere scannable. */
const FALLBACK_DIR = resolve('.cache/log-capture/adhoc');

export function captureDir(): string {
  let dir: string | undefined;
  try {
    dir = inject('logCaptureDir');
  } catch {
    dir = undefined; // outside a vitest worker
  }
  const chosen = dir ?? FALLBACK_DIR;
  mkdirSync(chosen, { recursive: true });
  return chosen;
}

let cachedDir: string | undefined;
const dirOnce = (): string => (cachedDir ??= captureDir());

export function captureText(text: string): void {
  appendFileSync(join(dirOnce(), `${process.pid}.log`), text.endsWith('\n') ? text : `${text}\n`);
}

/** Secrets the scan must never find in any captured line. */
export function registerSecrets(...values: Array<string | undefined>): void {
  const usable = values.filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (usable.length > 0) appendFileSync(join(dirOnce(), `${process.pid}.secrets`), `${usable.join('\n')}\n`);
}

/**
 * The production redacting JSON logger at debug level (the most it would ever say), its lines
 * kept for assertions and teed into the capture.
 */
export function capturingLogger(fields: Record<string, unknown> = {}): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createJsonLogger({
    level: 'debug',
    fields,
    write: (line) => {
      lines.push(line);
      captureText(line);
    },
  });
  return { log, lines };
}

const INSTALLED = Symbol.for('lifeline.logCapture.installed');

/** Tees process output and console of this test process into the capture (setupFiles). */
export function installOutputCapture(): void {
  const marker = globalThis as unknown as Record<symbol, boolean>;
  if (marker[INSTALLED]) return;
  marker[INSTALLED] = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      safeCapture(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  for (const method of methods) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      safeCapture(args.map((a) => (typeof a === 'string' ? a : inspectSafe(a))).join(' '));
      original(...args);
    };
  }
}

function safeCapture(text: string): void {
  try {
    captureText(text);
  } catch {
    // Capturing must never break the test that is writing.
  }
}

function inspectSafe(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}\n${value.stack ?? ''}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}
