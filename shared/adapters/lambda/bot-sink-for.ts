import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger, Sink } from '../../ports';
import { EventBridgeSink } from '../eventbridge';
import { BotAndBusSink } from './bot-and-bus-sink';
import { LambdaBotSink } from './lambda-bot-sink';

export interface AwsSinkConfig {
  region: string;
  eventBusName: string;
  /** The bot's Lambda (`LIFELINE_BOT_FUNCTION_ARN`); without it, the bus alone. */
  botFunctionArn?: string;
}

/**
 * Where a deployed process sends Slack payloads: the EventBridge bus, and the bot's Lambda too
 * when the stack was given one (`BotAndBusSink`). One builder for the worker and the HTTP Lambda,
 * so both send the same payloads the same way.
 */
export function awsSinkFor(config: AwsSinkConfig, log: Logger, clients: { eventBridge?: EventBridgeClient; lambda?: LambdaClient } = {}): Sink {
  const bus = new EventBridgeSink({ client: clients.eventBridge ?? new EventBridgeClient({ region: config.region }), eventBusName: config.eventBusName });
  if (!config.botFunctionArn) return bus;
  const bot = new LambdaBotSink({ client: clients.lambda ?? new LambdaClient({ region: config.region }), functionName: config.botFunctionArn });
  return new BotAndBusSink({
    bus,
    bot,
    onBusRefusedAnswered: (event, reason) => log.warn('event bus refused a payload the bot already answered: acked anyway, the bus copy is lost', { eventId: event.id, kind: event.kind, reason }),
  });
}
