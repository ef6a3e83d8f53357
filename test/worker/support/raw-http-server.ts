import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawHttpServer {
  /** `http://127.0.0.1:PORT/api/` */
  apiUrl: string;
  requests: { url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/**
 * A plain HTTP server for what the simulator does not do on purpose: statuses other than 200/429,
 * a 429 without `Retry-After`, garbage bodies, a server that never answers.
 */
export async function startRawHttpServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<RawHttpServer> {
  const requests: RawHttpServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
