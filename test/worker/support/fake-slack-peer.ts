import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface PeerSocket {
  ws: WebSocket;
  /** Arrival times (Date.now) of app-level RTM pings. */
  appPings: number[];
  /** Arrival times of WebSocket ping frames. */
  wsPings: number[];
}

/**
 * A minimal Slack peer for what the simulator does not record: the pings a client sends. It
 * says hello (RTM or Socket Mode shape), answers app-level pings with pongs and lets `ws` answer
 * ping frames.
 */
export class FakeSlackPeer {
  readonly sockets: PeerSocket[] = [];
  private constructor(private readonly server: WebSocketServer, readonly url: string) {}

  static async start(protocol: 'rtm' | 'socket'): Promise<FakeSlackPeer> {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const peer = new FakeSlackPeer(server, `ws://127.0.0.1:${port}/${protocol === 'rtm' ? 'websocket/x' : 'link/?ticket=x'}`);
    server.on('connection', (ws) => {
      const s: PeerSocket = { ws, appPings: [], wsPings: [] };
      peer.sockets.push(s);
      ws.on('error', () => undefined);
      ws.on('ping', () => s.wsPings.push(Date.now()));
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { id?: number; type?: string };
        if (msg.type !== 'ping') return;
        s.appPings.push(Date.now());
        ws.send(JSON.stringify({ type: 'pong', reply_to: msg.id }));
      });
      ws.send(JSON.stringify(protocol === 'rtm'
        ? { type: 'hello' }
        : { type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 } }));
    });
    return peer;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.ws.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
