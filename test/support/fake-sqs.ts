import { createHash, randomUUID } from 'node:crypto';
import { awsError, startAwsJsonServer, type AwsJsonReply, type AwsJsonRequest, type AwsJsonServer } from './aws-json-server';

// Just enough of SQS (standard queue, JSON protocol) for the ConnectQueue contract: send,
// long-poll receive with visibility timeouts, delete by the latest receipt handle. Independent
// of the memory queue, so the two are not checked against the same code.

interface Stored {
  id: string;
  body: string;
  receipt?: string;
  visibleAt: number;
}

export interface FakeSqs extends AwsJsonServer {
  queueUrl: string;
  /** Puts a raw body on the queue, bypassing the adapter (e.g. a malformed one). */
  inject(body: string): void;
  /** Messages still stored (visible or in flight). */
  size(): number;
  /** ReceiveMessage long polls waiting right now. */
  receiving(): number;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const startFakeSqs = async (options: { defaultVisibilitySeconds?: number } = {}): Promise<FakeSqs> => {
  const defaultVisibility = options.defaultVisibilitySeconds ?? 30;
  const messages: Stored[] = [];
  let queueUrl = '';

  const take = (max: number, visibilitySeconds: number): Stored[] => {
    const now = Date.now();
    const taken = messages.filter((message) => message.visibleAt <= now).slice(0, max);
    for (const message of taken) {
      message.receipt = randomUUID();
      message.visibleAt = now + visibilitySeconds * 1000;
    }
    return taken;
  };

  let receiving = 0;
  const receive = async (body: Record<string, unknown>, hangUp: AbortSignal): Promise<AwsJsonReply> => {
    receiving += 1;
    try {
      return await poll(body, hangUp);
    } finally {
      receiving -= 1;
    }
  };
  const poll = async (body: Record<string, unknown>, hangUp: AbortSignal): Promise<AwsJsonReply> => {
    const max = Number(body.MaxNumberOfMessages ?? 1);
    if (max < 1 || max > 10) return awsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'MaxNumberOfMessages');
    const deadline = Date.now() + Number(body.WaitTimeSeconds ?? 0) * 1000;
    const visibility = Number(body.VisibilityTimeout ?? defaultVisibility);
    for (;;) {
      if (hangUp.aborted) return { body: {} };
      const taken = take(max, visibility);
      if (taken.length > 0 || Date.now() >= deadline) {
        return {
          body: {
            Messages: taken.map((m) => ({ MessageId: m.id, ReceiptHandle: m.receipt, MD5OfBody: md5(m.body), Body: m.body })),
          },
        };
      }
      await sleep(10);
    }
  };

  const handle = async (request: AwsJsonRequest, hangUp: AbortSignal): Promise<AwsJsonReply> => {
    const { body } = request;
    if (body.QueueUrl !== queueUrl) {
      return awsError(400, 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
    }
    switch (request.operation) {
      case 'SendMessage': {
        const text = String(body.MessageBody);
        const id = randomUUID();
        messages.push({ id, body: text, visibleAt: Date.now() });
        return { body: { MessageId: id, MD5OfMessageBody: md5(text) } };
      }
      case 'ReceiveMessage':
        return receive(body, hangUp);
      case 'DeleteMessage': {
        // Like SQS, only the latest delivery's handle deletes; an older one is quietly ignored.
        const index = messages.findIndex((message) => message.receipt === body.ReceiptHandle);
        if (index >= 0) messages.splice(index, 1);
        return { body: {} };
      }
      case 'ChangeMessageVisibility': {
        // SQS: 0 to 43,200 s; a handle that is not the message's latest delivery is refused.
        const seconds = Number(body.VisibilityTimeout);
        if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
          return awsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'VisibilityTimeout');
        }
        const message = messages.find((candidate) => candidate.receipt === body.ReceiptHandle);
        if (!message) return awsError(400, 'com.amazonaws.sqs#MessageNotInflight', 'The message is not in flight.');
        message.visibleAt = Date.now() + seconds * 1000;
        return { body: {} };
      }
      default:
        return awsError(400, 'com.amazonaws.sqs#UnsupportedOperation', request.operation);
    }
  };

  const server = await startAwsJsonServer(handle);
  queueUrl = `${server.endpoint}/000000000000/lifeline-connect`;
  return {
    ...server,
    queueUrl,
    inject: (body) => void messages.push({ id: randomUUID(), body, visibleAt: Date.now() }),
    size: () => messages.length,
    receiving: () => receiving,
  };
};
