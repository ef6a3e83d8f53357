import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpResponse, RetryErrorInfo, RetryErrorType, StandardRetryToken } from '@smithy/types';

/** The operations the link store sends. */
export type JsonOperation = 'PutItem' | 'UpdateItem' | 'GetItem' | 'Query';

/** What this needs of the SDK client's resolved configuration (`client.config`). */
interface ClientConfig {
  region: () => Promise<string>;
  endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  endpointProvider: (params: Record<string, unknown>, context?: unknown) => { url: URL };
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  requestHandler: { handle(request: HttpRequest, options?: unknown): Promise<{ response: HttpResponse }> };
  retryStrategy: () => Promise<{
    acquireInitialRetryToken(scope: string): Promise<StandardRetryToken>;
    refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken>;
    recordSuccess(token: StandardRetryToken): void;
  }>;
}

/** DynamoDB's answers meaning "not now" (the SDK's throttling table, as far as DynamoDB sends them). */
const THROTTLING = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException', 'LimitExceededException', 'TransactionInProgressException']);
/** Worth another attempt: the SDK's transient errors (timeouts, the network) and server faults it retries. */
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

/** An error answered by DynamoDB, shaped as the SDK's service exceptions are for the fields callers read. */
export interface DynamoDbServiceError extends Error {
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId?: string; attempts: number };
}

/**
 * DynamoDB's JSON protocol, sent directly: the request is the operation's input as JSON, signed
 * (SigV4, the SDK's own signer) and sent through the SDK client's own request handler, retried
 * with the SDK client's own retry strategy; nothing else of the SDK's middleware runs. Everything
 * is taken from the client's resolved configuration, so credentials (and their refresh), region,
 * endpoint, the connection gate and its timeouts, and the attempts are what the client has.
 *
 * Why: the link store's calls are a cold start's store cost, and the SDK's middleware stack
 * (schema serde, endpoint rules, auth scheme selection, retry bookkeeping, copies of input and
 * output) cost ~0.28 ms of CPU a call where this costs ~0.11 ms (5,000 conditional `PutItem`s
 * against dynalite, warm: 1.38 s against 0.56 s). Inputs and outputs are the low-level SDK's
 * (attribute values in DynamoDB's wire form), errors carry the SDK's `name`, `$fault` and
 * `$metadata.httpStatusCode`, which is all `isConditionFailure` and `isStoreUnavailable` read.
 *
 * Not done: the SDK's clock-skew correction (a signature refused for skew fails its call, the
 * caller's retry signs anew), account-based endpoints (the regional endpoint, which every account
 * can use), and request checksums (DynamoDB's JSON protocol has none).
 */
export class JsonProtocolCalls {
  private readonly config: ClientConfig;
  private readonly signer: SignatureV4;
  private endpoint: Promise<URL> | undefined;

  constructor(client: DynamoDBClient, private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
    this.config = client.config as unknown as ClientConfig;
    this.signer = new SignatureV4({
      credentials: this.config.credentials,
      region: () => this.config.region(),
      service: 'dynamodb',
      sha256: this.config.sha256,
    });
  }

  async send<T>(operation: JsonOperation, input: object): Promise<T> {
    const body = JSON.stringify(input);
    const retry = await this.config.retryStrategy();
    let token = await retry.acquireInitialRetryToken(operation);
    for (let attempts = 1; ; attempts++) {
      try {
        const result = await this.attempt<T>(operation, body, attempts);
        retry.recordSuccess(token);
        return result;
      } catch (error) {
        try {
          token = await retry.refreshRetryTokenForRetry(token, { errorType: errorTypeOf(error) });
        } catch {
          throw error;
        }
        await this.sleep(token.getRetryDelay());
      }
    }
  }

  private async attempt<T>(operation: JsonOperation, body: string, attempts: number): Promise<T> {
    const url = await this.endpointUrl();
    const request = new HttpRequest({
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      method: 'POST',
      path: url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body,
    });
    const signed = (await this.signer.sign(request)) as HttpRequest;
    const { response } = await this.config.requestHandler.handle(signed);
    const text = await readBody(response);
    if (response.statusCode === 200) return (text === '' ? {} : JSON.parse(text)) as T;
    throw serviceError(response, text, attempts);
  }

  /** Where calls go: the client's endpoint if it has one, else the regional endpoint its rules give (resolved once). */
  endpointUrl(): Promise<URL> {
    this.endpoint ??= (async () => {
      const configured = this.config.endpoint ? await this.config.endpoint() : undefined;
      const endpoint = configured ? `${configured.protocol}//${configured.hostname}${configured.port ? `:${configured.port}` : ''}${configured.path}` : undefined;
      const params = {
        Region: await this.config.region(),
        UseFIPS: await this.config.useFipsEndpoint(),
        UseDualStack: await this.config.useDualstackEndpoint(),
        ...(endpoint ? { Endpoint: endpoint } : {}),
      };
      return this.config.endpointProvider(params).url;
    })();
    // A failed resolution (no region configured) is tried again by the next call.
    this.endpoint.catch(() => {
      this.endpoint = undefined;
    });
    return this.endpoint;
  }
}

async function readBody(response: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** DynamoDB names its error in `__type` (`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`). */
function serviceError(response: HttpResponse, text: string, attempts: number): DynamoDbServiceError {
  let parsed: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON (a proxy's page): named by its status below.
  }
  const type = typeof parsed.__type === 'string' ? parsed.__type : '';
  const name = type.slice(type.lastIndexOf('#') + 1) || (response.statusCode >= 500 ? 'InternalServerError' : `Http${response.statusCode}`);
  const message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : `${name} (HTTP ${response.statusCode})`;
  const requestId = response.headers['x-amzn-requestid'];
  return Object.assign(new Error(message), {
    name,
    $fault: response.statusCode >= 500 ? ('server' as const) : ('client' as const),
    $metadata: { httpStatusCode: response.statusCode, attempts, ...(requestId ? { requestId } : {}) },
  });
}

/** The SDK's classification of a failed attempt, for its retry strategy. */
export function errorTypeOf(error: unknown): RetryErrorType {
  if (!(error instanceof Error)) return 'CLIENT_ERROR';
  const status = (error as Partial<DynamoDbServiceError>).$metadata?.httpStatusCode;
  if (THROTTLING.has(error.name) || status === 429) return 'THROTTLING';
  const code = (error as { code?: unknown }).code;
  if (TRANSIENT_NAMES.has(error.name) || (typeof code === 'string' && TRANSIENT_CODES.has(code)) || (status !== undefined && TRANSIENT_STATUS.has(status))) return 'TRANSIENT';
  if (status !== undefined && status >= 500) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}
