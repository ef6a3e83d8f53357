import type { Clock } from './clock';
import type { FaultState } from './faults';
import type { GroundTruth } from './ground-truth';
import type { ResponseUrlStore } from './interactivity/response-urls';
import type { TriggerStore } from './interactivity/triggers';
import type { OAuthCodes } from './oauth/codes';
import type { SimulatorOptions } from './options';
import type { RateLimiter } from './rate-limiter';
import type { Registry } from './registry';
import type { Scheduler } from './scheduler';
import type { SocketHub } from './sockets/hub';
import type { TicketStore } from './sockets/tickets';

/**
 * The simulator's parts that depend on no other part: what the event hub and the lifecycle are
 * built from. `SimContext` (context.ts) adds those two; keeping them apart is what lets the events
 * modules read the context without the context importing them back.
 */
export interface SimCore {
  readonly options: SimulatorOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly registry: Registry;
  readonly truth: GroundTruth;
  readonly rateLimiter: RateLimiter;
  readonly tickets: TicketStore;
  readonly sockets: SocketHub;
  readonly faults: FaultState;
  readonly oauthCodes: OAuthCodes;
  /** `trigger_id`s of commands and interactions, exchanged by `views.open` */
  readonly triggers: TriggerStore;
  /** `response_url`s of commands and interactions, served at `/commands/…` and `/actions/…` */
  readonly responseUrls: ResponseUrlStore;
  /** `http://host:port` of the running server */
  baseUrl(): string;
  log(message: string): void;
}
