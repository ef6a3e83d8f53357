import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local HTTP server speaking the AWS JSON protocol (1.0 for SQS, 1.1 for EventBridge): the
// real SDK client signs, serializes and parses exactly as it would against AWS, so a test sees
// the requests the adapter really makes, and the SDK's own response checks (SQS's MD5s) run.

export interface AwsJsonRequest {
  /** `X-Amz-Target` without the service prefix, e.g. `SendMessage`. */
  operation: string;
  target: string;
  contentType: string;
  body: Record<string, unknown>;
}

export type AwsJsonReply = { status?: number; body: unknown; headers?: Record<string, string> };

/** `signal` fires when the client hangs up (an aborted long poll). */
export type AwsJsonHandler = (request: AwsJsonRequest, signal: AbortSignal) => Promise<AwsJsonReply> | AwsJsonReply;

export interface AwsJsonServer {
  endpoint: string;
  requests: AwsJsonRequest[];
  stop(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const awsError = (status: number, type: string, message: string): AwsJsonReply => ({
  status,
  body: { __type: type, message },
});

export const startAwsJsonServer = async (handler: AwsJsonHandler): Promise<AwsJsonServer> => {
  const requests: AwsJsonRequest[] = [];
  const server = createServer((req, res) => {
    const hangUp = new AbortController();
    res.on('close', () => hangUp.abort());
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      const request: AwsJsonRequest = {
        operation: target.slice(target.indexOf('.') + 1),
        target,
        contentType: String(req.headers['content-type'] ?? ''),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      requests.push(request);
      const reply = await Promise.resolve()
        .then(() => handler(request, hangUp.signal))
        .catch((error: unknown) => awsError(500, 'InternalFailure', error instanceof Error ? error.message : String(error)));
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, { 'content-type': request.contentType || 'application/x-amz-json-1.0', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/** Fake credentials and a fixed region: the local server accepts any signature. */
export const localAwsConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
