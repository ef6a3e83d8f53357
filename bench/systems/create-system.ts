import type { BenchSystem, ChildSystemName, LinkProtocol, SystemContext } from './types';

export const SYSTEM_PROTOCOLS: Record<ChildSystemName, readonly LinkProtocol[]> = {
  lifeline: ['rtm', 'socket'], socketModeClient: ['socket'], rtmClient: ['rtm'], rawWs: ['rtm'],
};

/**
 * Loads only the system asked for: in a memory child, importing the other systems' SDKs would
 * leave megabytes of freed-but-committed heap in the baseline, which links then fill silently.
 */
export async function createSystem(name: ChildSystemName, ctx: SystemContext): Promise<BenchSystem> {
  switch (name) {
    case 'lifeline': return new (await import('./lifeline')).LifelineSystem(ctx);
    case 'socketModeClient': return new (await import('./socket-mode-client')).SocketModeClientSystem(ctx);
    case 'rtmClient': return new (await import('./rtm-client')).RtmClientSystem(ctx);
    case 'rawWs': return new (await import('./raw-ws')).RawWsSystem(ctx);
  }
}
