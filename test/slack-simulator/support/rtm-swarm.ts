// A child process that opens one idle RTM socket per token, like a fleet of bots would.
// It runs apart from the simulator so each side stays within its own file-descriptor limit.
// Protocol: argv[2] = API base URL, argv[3] = JSON file of tokens, argv[4] = concurrency.
// Prints `hellos <n> failures <m>` once every socket got hello (or failed); exits when stdin closes.
// A `ping` line on stdin pings every socket and prints `pongs <n> open <m>` once each answered or closed.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const [apiUrl, tokenFile, concurrencyArg] = process.argv.slice(2);
const tokens = JSON.parse(readFileSync(tokenFile!, 'utf8')) as string[];
const concurrency = Number(concurrencyArg ?? '100');
const sockets: WebSocket[] = [];
let hellos = 0;
let failures = 0;

async function connect(token: string): Promise<void> {
  const res = await fetch(`${apiUrl}rtm.connect`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { ok: boolean; url?: string };
  if (!body.ok || !body.url) throw new Error('rtm.connect failed');
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(body.url!, { perMessageDeflate: false });
    sockets.push(ws);
    ws.once('message', (data) => {
      if ((JSON.parse(data.toString()) as { type?: string }).type === 'hello') resolve();
      else reject(new Error('first frame was not hello'));
    });
    ws.once('error', reject);
  });
}

async function main(): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tokens.length) {
      const token = tokens[next++]!;
      try {
        await connect(token);
        hellos += 1;
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write(`hellos ${hellos} failures ${failures} rss ${process.memoryUsage().rss}\n`);
}

/** Every socket still open gets a WebSocket ping; an answer proves it open end to end, now. */
async function roundTrip(): Promise<void> {
  const answers = sockets.map((ws) => new Promise<boolean>((resolve) => {
    if (ws.readyState !== WebSocket.OPEN) return resolve(false);
    ws.once('pong', () => resolve(true));
    ws.once('close', () => resolve(false));
    ws.ping();
  }));
  const pongs = (await Promise.all(answers)).filter(Boolean).length;
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  process.stdout.write(`pongs ${pongs} open ${open}\n`);
}

process.stdin.on('data', (data: Buffer) => {
  if (data.toString().includes('ping')) void roundTrip();
});
process.stdin.on('end', () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
process.stdin.resume();
void main();
