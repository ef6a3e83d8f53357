import type { Clock } from './clock';
import type { EventHub } from './events/event-hub';
import type { Lifecycle } from './events/lifecycle';
import type { FaultState } from './faults';
import type { GroundTruth } from './ground-truth';
import type { OAuthCodes } from './oauth/codes';
import type { SimulatorOptions } from './options';
import type { RateLimiter } from './rate-limiter';
import type { Registry } from './registry';
import type { Scheduler } from './scheduler';
import type { SocketHub } from './sockets/hub';
import type { TicketStore } from './sockets/tickets';

/** Everything the simulator's parts share. Built once in `simulator.ts`. */
export interface SimContext {
  readonly options: SimulatorOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly registry: Registry;
  readonly truth: GroundTruth;
  readonly rateLimiter: RateLimiter;
  readonly tickets: TicketStore;
  readonly sockets: SocketHub;
  readonly events: EventHub;
  readonly lifecycle: Lifecycle;
  readonly faults: FaultState;
  readonly oauthCodes: OAuthCodes;
  /** `http://host:port` of the running server */
  baseUrl(): string;
  log(message: string): void;
}
