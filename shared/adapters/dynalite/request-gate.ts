import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface RequestGate {
  /** Requests that arrived and have not been answered yet. */
  readonly inFlight: number;
  /**
   * Refuses every request from now on (503, `Connection: close`) and resolves once each request
   * that arrived before has been answered, or after `maxWaitMs` if one never is.
   */
  close(maxWaitMs: number): Promise<void>;
}

/**
 * Wraps a server's request handlers so that closing waits for the handlers, not for the
 * connections. `server.close` waits only for connections, and a client that vanishes (a worker
 * killed mid-call) takes its connection with it while the handler still runs: dynalite then
 * closed LevelDB under a query it had already started, which threw outside any request.
 */
export function gateRequests(server: Server): RequestGate {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0', connection: 'close' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'the embedded store is shutting down' }));
      return;
    }
    inFlight += 1;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      res.end = end;
      inFlight -= 1;
      const sent = end(...args);
      if (inFlight === 0) idle?.();
      return sent;
    }) as ServerResponse['end'];
    for (const handler of handlers) handler.call(server, req, res);
  });
  return {
    get inFlight() {
      return inFlight;
    },
    close(maxWaitMs) {
      closing = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, maxWaitMs);
        function done(): void {
          clearTimeout(timer);
          idle = undefined;
          resolve();
        }
        idle = done;
      });
    },
  };
}
