import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export interface EventSinkProps {
  /** The bus name; CloudFormation generates one when omitted. */
  readonly eventBusName?: string;
}

/**
 * Where workers deliver Slack events: an EventBridge bus the bot's own Lambdas subscribe to with
 * rules. A dedicated bus keeps Slack traffic out of the account's default bus and lets the bot's
 * stacks grant themselves rules on it without touching this one.
 */
export class EventSink extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: EventSinkProps = {}) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', {
      ...(props.eventBusName ? { eventBusName: props.eventBusName } : {}),
      description: 'Lifeline: Slack events forwarded by the workers',
    });
  }
}
