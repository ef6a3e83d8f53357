import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to the store's traffic now:
 * - `pass`: forwards every request;
 * - `refuse`: stops listening and drops open connections, so a connect fails with ECONNREFUSED;
 * - `hold`: accepts and reads requests but never answers, nor resets (a partition that drops packets);
 * - `latency`: forwards each request `ms` late (a slow store);
 * - `throttle-writes`: answers every write (Put/Update/Delete/BatchWrite) with DynamoDB's
 *   `ProvisionedThroughputExceededException`; reads pass.
 */
export type StoreFault = { kind: 'pass' } | { kind: 'refuse' } | { kind: 'hold' } | { kind: 'latency'; ms: number } | { kind: 'throttle-writes' };

export interface FaultProxyCounts {
  forwarded: number;
  held: number;
  throttled: number;
}

export interface FaultProxy {
  /** The store's endpoint, through the proxy: give it to the workers. */
  endpoint: string;
  readonly counts: FaultProxyCounts;
  /** Switches the fault; a `refuse` closes the listener, the next other fault reopens it on the same port. */
  set(fault: StoreFault): Promise<void>;
  close(): Promise<void>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * An HTTP proxy between the workers and a DynamoDB-compatible endpoint (dynalite) that injects
 * store faults: the tests' stand-in for an outage, a partition, a slow or a throttling store.
 * HTTP-aware, so it can answer a throttling error the SDK recognises; connection-level faults
 * (refuse, hold) act on the sockets.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let fault: StoreFault = { kind: 'pass' };
  const counts: FaultProxyCounts = { forwarded: 0, held: 0, throttled: 0 };
  const sockets = new Set<Socket>();
  const heldResponses = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    counts.forwarded += 1;
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const now = fault;
    if (now.kind === 'hold' || now.kind === 'refuse') {
      // Read, never answered, never reset: the client's own timeout is all that ends it.
      counts.held += 1;
      heldResponses.add(res);
      res.on('close', () => heldResponses.delete(res));
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').at(-1) ?? '';
    if (now.kind === 'throttle-writes' && WRITES.has(operation)) {
      counts.throttled += 1;
      const answer = JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
      return;
    }
    if (now.kind === 'latency') setTimeout(() => forward(req, res, body), now.ms);
    else forward(req, res, body);
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let listening = true;

  const dropAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    async set(next) {
      const previous = fault;
      fault = next;
      if (next.kind === 'refuse' && listening) {
        listening = false;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          dropAll();
        });
        return;
      }
      if (next.kind !== 'refuse' && !listening) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        listening = true;
      }
      // A partition that heals: whatever was held is long timed out by its client; let it go.
      if (previous.kind === 'hold' && next.kind !== 'hold') for (const res of heldResponses) res.destroy();
    },
    async close() {
      agent.destroy();
      dropAll();
      if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
