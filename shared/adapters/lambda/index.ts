export { BotAndBusSink, type BotAndBusSinkOptions } from './bot-and-bus-sink';
export { DEFAULT_SYNC_TIMEOUT_MS, LambdaBotSink, lambdaPayloadLimits, type LambdaBotSinkOptions } from './lambda-bot-sink';
export { awsSinkFor, type AwsSinkConfig } from './bot-sink-for';
