import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxiedConnection {
  /** When the client's side of the TCP connection ended (FIN or reset), by `Date.now()`. */
  clientClosedAt: number | undefined;
  /** Reads from the client so far: on an idle socket, each is one frame it sent (a ping). */
  clientWrites: number;
}

export interface TcpProxy {
  port: number;
  connections: ProxiedConnection[];
  /** The same URL, through the proxy. */
  via(url: string): string;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of the simulator. It keeps reading the client even when the
 * simulator black-holes a socket, so a test can see the moment the client tears TCP down: the
 * simulator's own black-hole (a paused socket) cannot tell.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const record: ProxiedConnection = { clientClosedAt: undefined, clientWrites: 0 };
    client.on('data', () => (record.clientWrites += 1));
    connections.push(record);
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const onClientGone = (): void => {
      record.clientClosedAt ??= Date.now();
    };
    client.on('end', onClientGone);
    client.on('close', onClientGone);
    client.on('error', () => undefined);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connections,
    via: (url) => url.replace(/:(\d+)\//, `:${port}/`),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
