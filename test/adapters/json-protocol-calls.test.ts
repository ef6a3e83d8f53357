import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedStoreCalls, isStoreUnavailable, JsonProtocolCalls, type DynamoDbServiceError } from '../../shared/adapters/dynamodb';

// `JsonProtocolCalls` against a raw HTTP server: what goes on the wire (the operation, the body,
// a SigV4 signature checked here independently of the SDK's signer), and what comes back for
// each kind of answer. The link-store contract runs it against dynalite and DynamoDB Local.

interface Seen { method: string; path: string; headers: IncomingHttpHeaders; body: string }
type Reply = { status: number; body: string };

const SECRET = 'test-secret-key';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET };

const hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** AWS's SigV4 check, written out: the signature the request carries must be the one its content gives. */
function verifySigV4(seen: Seen): { region: string; service: string } {
  const authorization = String(seen.headers.authorization);
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) throw new Error(`not a SigV4 authorization: ${authorization}`);
  const [, keyId, date, region, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string, string];
  expect(keyId).toBe(credentials.accessKeyId);
  const amzDate = String(seen.headers['x-amz-date']);
  expect(amzDate.startsWith(date)).toBe(true);
  const names = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-target', 'content-type']) expect(names).toContain(required);
  const canonicalHeaders = names.map((name) => `${name}:${String(seen.headers[name]).trim()}\n`).join('');
  const canonicalRequest = [seen.method, seen.path, '', canonicalHeaders, signedHeaders, hex(seen.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), 'aws4_request');
  expect(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')).toBe(signature);
  return { region, service };
}

describe('JsonProtocolCalls: DynamoDB\'s JSON protocol without the SDK\'s middleware', () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];
  let replies: Reply[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const reply = replies.shift() ?? { status: 200, body: '{}' };
        res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${seen.length}` });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const callsWith = (maxAttempts = 2) => {
    const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials, ...boundedStoreCalls({ maxAttempts, attemptTimeoutMs: 2_000 }) });
    const slept: number[] = [];
    return { calls: new JsonProtocolCalls(client, async (ms) => void slept.push(ms)), slept, client };
  };
  const answer = (...next: Reply[]): void => {
    seen.length = 0;
    replies = next;
  };
  const error = (status: number, type: string, message = 'no'): Reply => ({ status, body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }) });
  const failure = async (promise: Promise<unknown>): Promise<DynamoDbServiceError> => {
    try {
      await promise;
    } catch (caught) {
      return caught as DynamoDbServiceError;
    }
    throw new Error('expected the call to fail');
  };

  it('sends the operation as JSON to the endpoint, signed with SigV4 for dynamodb in the client\'s region, and returns the answer', async () => {
    answer({ status: 200, body: JSON.stringify({ Attributes: { pk: { S: 'LINK#a' }, version: { N: '2' } } }) });
    const { calls } = callsWith();
    const input = { TableName: 'links', Key: { pk: { S: 'LINK#a' } }, UpdateExpression: 'SET #v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': { N: '2' } }, ReturnValues: 'ALL_NEW' };
    const result = await calls.send('UpdateItem', input);
    expect(result).toEqual({ Attributes: { pk: { S: 'LINK#a' }, version: { N: '2' } } });
    expect(seen).toHaveLength(1);
    const [request] = seen as [Seen];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/');
    expect(request.headers['x-amz-target']).toBe('DynamoDB_20120810.UpdateItem');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(request.body)).toEqual(input);
    expect(verifySigV4(request)).toEqual({ region: 'eu-west-1', service: 'dynamodb' });
  });

  it('names a refused condition as the SDK does, and does not retry it', async () => {
    answer(error(400, 'ConditionalCheckFailedException', 'The conditional request failed'));
    const err = await failure(callsWith().calls.send('PutItem', { TableName: 'links', Item: {} }));
    expect(err.name).toBe('ConditionalCheckFailedException');
    expect(err.message).toBe('The conditional request failed');
    expect(err.$fault).toBe('client');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, requestId: 'req-1', attempts: 1 });
    expect(isStoreUnavailable(err)).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('retries throttling with the client\'s retry strategy, and succeeds when the store answers', async () => {
    answer(error(400, 'ProvisionedThroughputExceededException'), { status: 200, body: '{}' });
    const { calls, slept } = callsWith();
    await expect(calls.send('PutItem', { TableName: 'links', Item: {} })).resolves.toEqual({});
    expect(seen).toHaveLength(2);
    expect(slept).toHaveLength(1);
    // Each attempt signed on its own.
    for (const request of seen) verifySigV4(request);
  });

  it('gives up after the client\'s attempts on a server fault, which reads as the store away', async () => {
    answer({ status: 500, body: 'upstream gone' }, { status: 503, body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable' }) }, { status: 200, body: '{}' });
    const err = await failure(callsWith(2).calls.send('GetItem', { TableName: 'links', Key: {} }));
    expect(seen).toHaveLength(2);
    expect(err.name).toBe('ServiceUnavailable');
    expect(err.$fault).toBe('server');
    expect(err.$metadata.attempts).toBe(2);
    expect(isStoreUnavailable(err)).toBe(true);
    // The first answer was not JSON: named by its status.
    answer({ status: 500, body: '<html>oops</html>' });
    const single = await failure(callsWith(1).calls.send('GetItem', { TableName: 'links', Key: {} }));
    expect(single.name).toBe('InternalServerError');
    expect(isStoreUnavailable(single)).toBe(true);
  });

  it('does not retry a request the store refuses as invalid', async () => {
    answer(error(400, 'ValidationException', 'One or more parameter values were invalid'), { status: 200, body: '{}' });
    const err = await failure(callsWith(3).calls.send('Query', { TableName: 'links' }));
    expect(err.name).toBe('ValidationException');
    expect(seen).toHaveLength(1);
  });

  it('reports a store nobody listens on as unavailable, after the client\'s attempts', async () => {
    const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', credentials, ...boundedStoreCalls({ maxAttempts: 2 }) });
    const slept: number[] = [];
    const err = await failure(new JsonProtocolCalls(client, async (ms) => void slept.push(ms)).send('GetItem', { TableName: 'links', Key: {} }));
    expect(isStoreUnavailable(err)).toBe(true);
    expect(slept).toHaveLength(1);
    client.destroy();
  });

  it('without an endpoint, goes to the regional DynamoDB endpoint the SDK would use', async () => {
    const client = new DynamoDBClient({ region: 'eu-central-1', credentials });
    expect((await new JsonProtocolCalls(client).endpointUrl()).href).toBe('https://dynamodb.eu-central-1.amazonaws.com/');
    const configured = new DynamoDBClient({ region: 'eu-central-1', credentials, endpoint: `${endpoint}/` });
    expect((await new JsonProtocolCalls(configured).endpointUrl()).href).toBe(`${endpoint}/`);
  });
});
