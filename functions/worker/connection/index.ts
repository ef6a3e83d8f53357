export { openSlackConnection } from './slack-connection';
export { IntervalTicker, DEFAULT_TICK_MS, type IntervalTickerOptions } from './ticker';
export { livenessVerdict, resolveLiveness, type LivenessMarks, type LivenessVerdict } from './liveness';
export {
  ConnectError,
  DEFAULT_LIVENESS,
  type Clock,
  type CloseCause,
  type ConnectionHandlers,
  type HelloInfo,
  type InboundEvent,
  type LivenessOptions,
  type OpenSlackConnectionOptions,
  type SlackConnection,
  type Tickable,
  type Ticker,
} from './types';
