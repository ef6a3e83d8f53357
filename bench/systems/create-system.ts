import { LifelineSystem } from './lifeline';
import { RawWsSystem } from './raw-ws';
import { RtmClientSystem } from './rtm-client';
import { SocketModeClientSystem } from './socket-mode-client';
import type { BenchSystem, ChildSystemName, SystemContext } from './types';

export function createSystem(name: ChildSystemName, ctx: SystemContext): BenchSystem {
  switch (name) {
    case 'lifeline': return new LifelineSystem(ctx);
    case 'socketModeClient': return new SocketModeClientSystem(ctx);
    case 'rtmClient': return new RtmClientSystem(ctx);
    case 'rawWs': return new RawWsSystem(ctx);
  }
}
