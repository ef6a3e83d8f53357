import type { EventHub } from './events/event-hub';
import type { Lifecycle } from './events/lifecycle';
import type { SimCore } from './sim-core';

/** Everything the simulator's parts share: the core, the event hub and the lifecycle. Built once in `simulator.ts`. */
export interface SimContext extends SimCore {
  readonly events: EventHub;
  readonly lifecycle: Lifecycle;
}
