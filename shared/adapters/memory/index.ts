export { CallbackSink, type CallbackSinkOptions, type EventCallback, type EventReply, type SinkCallback, type SinkHandler } from './callback-sink';
export { MemoryConnectQueue, type MemoryConnectQueueOptions } from './memory-connect-queue';
export { MemoryCredentials, type CredentialOwner } from './memory-credentials';
export { MemoryEventDedupe, type MemoryEventDedupeOptions } from './memory-event-dedupe';
export { MemoryMetrics, type MetricPoint } from './memory-metrics';
export { systemTimers, type Timers } from './timers';
export { BoundedSink } from './bounded-sink';
