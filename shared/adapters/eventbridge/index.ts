export { detailTypeOf, EventBridgeSink, type EventBridgeSinkOptions } from './eventbridge-sink';
export { entrySize, maxEntriesPerRequest, maxRequestBytes, toBatches } from './put-events-batches';
