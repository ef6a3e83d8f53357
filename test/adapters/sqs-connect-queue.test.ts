import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsConnectQueue } from '../../shared/adapters/sqs';
import { localAwsConfig } from '../support/aws-json-server';
import { startFakeSqs, type FakeSqs } from '../support/fake-sqs';
import { connectQueueContract } from './connect-queue-contract';

// The real SQSClient talks to a small local server speaking SQS's JSON protocol
// (test/support/fake-sqs.ts). Chosen over swapping the client's `send` through its middleware
// stack because the whole SDK path runs: serialization, signing, the SQS MD5 checks on send and
// receive, error parsing, and a long poll aborted on the wire. That also lets the ConnectQueue
// contract itself run against the SQS adapter, not only request-shape checks.

const clientFor = (sqs: FakeSqs): SQSClient => new SQSClient({ ...localAwsConfig(sqs.endpoint), maxAttempts: 1 });

describe('SqsConnectQueue: the ConnectQueue contract against a local SQS', () => {
  connectQueueContract(async ({ visibilityTimeoutMs }) => {
    const sqs = await startFakeSqs();
    const client = clientFor(sqs);
    return {
      queue: new SqsConnectQueue({ client, queueUrl: sqs.queueUrl, visibilityTimeoutMs }),
      close: async () => {
        client.destroy();
        await sqs.stop();
      },
      receiving: () => sqs.receiving(),
    };
  });
});

describe('SqsConnectQueue requests', () => {
  let sqs: FakeSqs;
  let client: SQSClient;
  beforeAll(async () => {
    sqs = await startFakeSqs();
    client = clientFor(sqs);
  });
  afterAll(async () => {
    client.destroy();
    await sqs.stop();
  });
  const lastRequest = (operation: string) => sqs.requests.filter((request) => request.operation === operation).at(-1);

  it('sends a command as a JSON body on the configured queue, over AWS JSON 1.0', async () => {
    const queue = new SqsConnectQueue({ client, queueUrl: sqs.queueUrl });
    const command = { linkId: 'sm:A1:0', epoch: 4, taskToken: 'tok', handoffFrom: 'w1' };
    await queue.send(command);
    const request = lastRequest('SendMessage');
    expect(request?.target).toBe('AmazonSQS.SendMessage');
    expect(request?.contentType).toBe('application/x-amz-json-1.0');
    expect(request?.body.QueueUrl).toBe(sqs.queueUrl);
    expect(JSON.parse(String(request?.body.MessageBody))).toEqual(command);
    await (await queue.receive({ max: 1, waitMs: 1_000 }))[0]?.ack();
  });

  it('long-polls in whole seconds, never longer than asked nor beyond 20 s, at most 10 messages', async () => {
    const queue = new SqsConnectQueue({ client, queueUrl: sqs.queueUrl, visibilityTimeoutMs: 1_500 });
    await queue.send({ linkId: 'l', epoch: 1 });
    await queue.receive({ max: 50, waitMs: 60_000 }).then((got) => Promise.all(got.map((item) => item.ack())));
    expect(lastRequest('ReceiveMessage')?.body).toMatchObject({
      QueueUrl: sqs.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 2,
    });
    await queue.receive({ max: 3, waitMs: 999 });
    expect(lastRequest('ReceiveMessage')?.body).toMatchObject({ MaxNumberOfMessages: 3, WaitTimeSeconds: 0 });
  });

  it("leaves the queue's own visibility timeout alone when none is configured", async () => {
    const queue = new SqsConnectQueue({ client, queueUrl: sqs.queueUrl });
    await queue.receive({ max: 1, waitMs: 0 });
    expect(lastRequest('ReceiveMessage')?.body).not.toHaveProperty('VisibilityTimeout');
  });

  it('acks by deleting with the receipt handle of that delivery', async () => {
    const queue = new SqsConnectQueue({ client, queueUrl: sqs.queueUrl });
    await queue.send({ linkId: 'l', epoch: 2 });
    const [received] = await queue.receive({ max: 1, waitMs: 1_000 });
    const before = sqs.size();
    await received?.ack();
    const deleted = lastRequest('DeleteMessage');
    expect(deleted?.target).toBe('AmazonSQS.DeleteMessage');
    expect(deleted?.body).toEqual({ QueueUrl: sqs.queueUrl, ReceiptHandle: expect.any(String) });
    expect(sqs.size()).toBe(before - 1);
  });

  it('skips and reports a body that is not a connect command, leaving it to the dead-letter queue', async () => {
    const invalid: (string | undefined)[] = [];
    const queue = new SqsConnectQueue({
      client,
      queueUrl: sqs.queueUrl,
      onInvalidMessage: (messageId) => invalid.push(messageId),
    });
    const deletes = () => sqs.requests.filter((request) => request.operation === 'DeleteMessage').length;
    const deletesBefore = deletes();
    sqs.inject('{"not":"a command"}');
    sqs.inject('not json');
    await queue.send({ linkId: 'l', epoch: 3 });
    const got = await queue.receive({ max: 10, waitMs: 1_000 });
    expect(got.map((item) => item.command)).toEqual([{ linkId: 'l', epoch: 3 }]);
    expect(invalid).toHaveLength(2);
    expect(deletes()).toBe(deletesBefore);
    await got[0]?.ack();
  });

  it("surfaces SQS's own error for a queue that does not exist", async () => {
    const queue = new SqsConnectQueue({ client, queueUrl: `${sqs.endpoint}/000000000000/missing` });
    await expect(queue.send({ linkId: 'l', epoch: 1 })).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
