import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ConnectCommand, ConnectQueue, ReceivedCommand } from '../../ports';

export interface SqsConnectQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** Overrides the queue's visibility timeout per receive; SQS takes whole seconds (rounded up). */
  visibilityTimeoutMs?: number;
  /**
   * A message whose body is not a connect command. It is skipped and never acked, so the
   * queue's redrive policy moves it to the dead-letter queue; this only reports it.
   */
  onInvalidMessage?(messageId: string | undefined, error: unknown): void;
}

/** SQS allows at most 10 messages per receive and a long poll of at most 20 s. */
const maxBatch = 10;
const maxWaitSeconds = 20;
const maxVisibilitySeconds = 12 * 60 * 60;
/** ChangeMessageVisibility's answers for a receipt handle that is no longer the message's delivery. */
const staleHandleErrors = new Set(['MessageNotInflight', 'ReceiptHandleIsInvalid']);

const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

const parseCommand = (message: Message): ConnectCommand => {
  const parsed: unknown = JSON.parse(message.Body ?? '');
  const command = parsed as Partial<ConnectCommand> | null;
  if (typeof command?.linkId !== 'string' || typeof command.epoch !== 'number') {
    throw new TypeError(`message ${message.MessageId ?? '?'} is not a connect command`);
  }
  return command as ConnectCommand;
};

/**
 * ConnectQueue on an SQS standard queue; commands travel as JSON bodies. Long polls are whole
 * seconds: `waitMs` is rounded down (so a receive never waits longer than asked; under a second
 * is a short poll) and capped at 20 s. An aborted receive resolves empty, as the memory queue
 * does; anything SQS handed out in the aborted response reappears after the visibility timeout.
 */
export class SqsConnectQueue implements ConnectQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly visibilitySeconds: number | undefined;
  private readonly onInvalidMessage: (messageId: string | undefined, error: unknown) => void;

  constructor(options: SqsConnectQueueOptions) {
    this.onInvalidMessage = options.onInvalidMessage ?? (() => undefined);
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.visibilitySeconds =
      options.visibilityTimeoutMs === undefined ? undefined : Math.ceil(options.visibilityTimeoutMs / 1000);
  }

  async send(command: ConnectCommand): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(command) }));
  }

  async receive(options: { max: number; waitMs: number; signal?: AbortSignal }): Promise<ReceivedCommand[]> {
    const { max, waitMs, signal } = options;
    if (signal?.aborted || max < 1) return [];
    let messages: Message[];
    try {
      const result = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(maxBatch, Math.floor(max)),
          WaitTimeSeconds: Math.min(maxWaitSeconds, Math.max(0, Math.floor(waitMs / 1000))),
          ...(this.visibilitySeconds === undefined ? {} : { VisibilityTimeout: this.visibilitySeconds }),
        }),
        signal ? { abortSignal: signal } : {},
      );
      messages = result.Messages ?? [];
    } catch (error) {
      if (signal?.aborted && isAbort(error)) return [];
      throw error;
    }
    return messages.flatMap((message) => {
      const receiptHandle = message.ReceiptHandle;
      if (receiptHandle === undefined) return [];
      try {
        return [{ command: parseCommand(message), ack: () => this.delete(receiptHandle), keepHidden: (ms: number) => this.hide(receiptHandle, ms) }];
      } catch (error) {
        this.onInvalidMessage(message.MessageId, error);
        return [];
      }
    });
  }

  /**
   * SQS takes whole seconds, at most 12 hours; rounded up so the message stays hidden at least
   * `ms`. A handle SQS no longer knows as in flight (acked, or delivered again since) is a stale
   * delivery: left alone, as the port says.
   */
  private async hide(receiptHandle: string, ms: number): Promise<void> {
    const seconds = Math.min(maxVisibilitySeconds, Math.max(0, Math.ceil(ms / 1000)));
    try {
      await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
    } catch (error) {
      if (error instanceof Error && staleHandleErrors.has(error.name)) return;
      throw error;
    }
  }

  private async delete(receiptHandle: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
  }
}
