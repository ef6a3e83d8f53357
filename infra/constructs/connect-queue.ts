import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ConnectQueueProps {
  /**
   * How long a received command stays invisible: long enough to open a socket and see `hello`
   * (the worker acks after its claim). Default 60 s.
   */
  readonly visibilityTimeout?: Duration;
  /** Receives before a command is dead-lettered. Default 5. */
  readonly maxReceiveCount?: number;
}

/**
 * The workers' connect queue and its dead-letter queue. SQS-managed encryption (no KMS calls to
 * pay for: commands carry link ids, epochs and task tokens, never Slack tokens), TLS only.
 */
export class ConnectQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ConnectQueueProps = {}) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(60),
      // A connect command older than a day is stale anyway (its epoch has moved on).
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
