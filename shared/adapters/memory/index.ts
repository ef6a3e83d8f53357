export { CallbackSink, type CallbackSinkOptions, type EventCallback, type EventReply, type SinkCallback, type SinkHandler } from './callback-sink';
export { MemoryConnectQueue, type MemoryConnectQueueOptions } from './memory-connect-queue';
export { MemoryCredentials, type CredentialOwner } from './memory-credentials';
export { MemoryEventDedupe, type MemoryEventDedupeOptions } from './memory-event-dedupe';
export { MemoryFleetMetrics } from './memory-fleet-metrics';
export { MemoryMetrics, type MetricPoint } from './memory-metrics';
export { systemTimers, type Timers } from './timers';
export { BoundedSink } from './bounded-sink';
