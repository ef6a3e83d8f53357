// dynalite in its own process, as `bench/child/dynalite-process.ts`, with every request counted
// by operation and item kind (LINK, WORKER, EVENT...) and timed from its arrival to its answer,
// so a profile can say what the store did per link. Asked over IPC, it reports and resets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

type CreateDynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const createDynalite = createRequire(import.meta.url)('dynalite') as CreateDynalite;

export interface StoreOpStats {
  count: number;
  /** Answers with a status other than 200 (a failed condition is a 400). */
  refused: number;
  /** Arrival to answer, as dynalite served it (its own queue included). */
  serverMs: { p50: number; p99: number; total: number };
  /** When the first and last of them were answered, ms since the reset. */
  firstAt: number;
  lastAt: number;
}

export interface StoreReport {
  ops: Record<string, StoreOpStats>;
  cpuMs: number;
}

interface Sample { at: number; ms: number; ok: boolean }

const server = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
let since = performance.now();
let cpuSince = process.cpuUsage();
let samples = new Map<string, Sample[]>();

const kindOf = (body: string): string => {
  const match = /"pk":\{"S":"([A-Z]+)/.exec(body);
  return match?.[1] ?? '-';
};

server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const started = performance.now();
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('finish', () => {
    const key = `${operation} ${kindOf(Buffer.concat(chunks).toString())}`;
    const list = samples.get(key) ?? [];
    list.push({ at: performance.now() - since, ms: performance.now() - started, ok: res.statusCode === 200 });
    samples.set(key, list);
  });
});

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function report(): StoreReport {
  const ops: Record<string, StoreOpStats> = {};
  for (const [key, list] of samples) {
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    ops[key] = {
      count: list.length,
      refused: list.filter((s) => !s.ok).length,
      serverMs: { p50: Math.round(quantile(ms, 0.5)), p99: Math.round(quantile(ms, 0.99)), total: Math.round(ms.reduce((a, b) => a + b, 0)) },
      firstAt: Math.round(Math.min(...list.map((s) => s.at))),
      lastAt: Math.round(Math.max(...list.map((s) => s.at))),
    };
  }
  const cpu = process.cpuUsage(cpuSince);
  return { ops, cpuMs: Math.round((cpu.user + cpu.system) / 1_000) };
}

process.on('message', (message: { type: 'reset' | 'report' }) => {
  if (message.type === 'report') process.send?.({ type: 'report', report: report() });
  since = performance.now();
  cpuSince = process.cpuUsage();
  samples = new Map();
  if (message.type === 'reset') process.send?.({ type: 'reset' });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ endpoint: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
