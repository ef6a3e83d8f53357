// A child process that opens one idle RTM socket per URL and reports its own memory growth, so
// the numbers hold only client-side cost (the simulator lives in the parent).
// argv: mode (`lifeline` | `raw`), JSON file of socket URLs, concurrency. Needs --expose-gc.
// Prints one JSON line: { mode, count, failures, heapPerConn, rssPerConn, ... }.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { IntervalTicker, openSlackConnection, type ConnectionHandlers, type SlackConnection } from '../../../functions/worker/connection';

const [mode, urlFile, concurrencyArg] = process.argv.slice(2);
const urls = JSON.parse(readFileSync(urlFile!, 'utf8')) as string[];
const concurrency = Number(concurrencyArg ?? '100');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const held: (SlackConnection | WebSocket)[] = [];
const ticker = new IntervalTicker();
const handlers: ConnectionHandlers = { onEvent: () => undefined, onRefresh: () => undefined, onDisconnectNotice: () => undefined, onClose: () => undefined };

function openLifeline(url: string): Promise<void> {
  const conn = openSlackConnection({ protocol: 'rtm', url, handlers, ticker });
  held.push(conn);
  return conn.opened.then(() => undefined);
}

/** The baseline: what a bare `ws` client needs to hold the same socket open until hello. */
function openRaw(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    held.push(ws);
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { type?: string }).type === 'hello') resolve();
    });
    ws.on('error', reject);
    ws.on('close', () => reject(new Error('closed')));
  });
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i += 1) {
    gc!();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const open = mode === 'lifeline' ? openLifeline : openRaw;
  // Warm up code paths and the module graph so the baseline is not charged to the first socket.
  const before = await settle();
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++]!;
      await open(url).catch(() => {
        failures += 1;
      });
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const openMs = Date.now() - started;
  const after = await settle();
  const count = urls.length - failures;
  process.stdout.write(`${JSON.stringify({
    mode, count, failures, openMs,
    heapPerConn: Math.round((after.heapUsed - before.heapUsed) / count),
    externalPerConn: Math.round((after.external + after.arrayBuffers - before.external - before.arrayBuffers) / count),
    rssPerConn: Math.round((after.rss - before.rss) / count),
    rssMiB: Math.round(after.rss / 2 ** 20),
  })}\n`);
  for (const h of held) {
    if (h instanceof WebSocket) h.terminate();
    else void h.close('done');
  }
  ticker.stop();
  setTimeout(() => process.exit(0), 200).unref();
}

void main();
