import type { Effect, EffectParams } from '../domain';
import type { LinkRecord, Logger, Metrics, Sink } from '../ports';
import { announceLifecycle } from './lifecycle-notice';

/**
 * How one context carries out the effects that act on the world. There are three contexts, and
 * each has one performer: the worker holding the link's socket (`functions/worker/worker.ts`), a
 * caller holding no socket (`detachedPerformer`: handlers, the sweeper, peers, operators), and a
 * workflow task (`functions/workflow-tasks/workflow-effects.ts`: the definition is itself the
 * connect and the retry). The effects that only report (metrics, logs) are the same everywhere
 * and never reach a performer.
 */
export interface EffectPerformer {
  /** `requestConnect`: open a socket for the link. */
  connect(link: LinkRecord, params: EffectParams['requestConnect']): Promise<void>;
  /** `scheduleRetry`: try again after `params.delayMs`. */
  scheduleRetry(link: LinkRecord, params: EffectParams['scheduleRetry']): Promise<void>;
  /** `cancelRetry`: the link left backoff another way. */
  cancelRetry(link: LinkRecord): Promise<void>;
  /** `closeSocket`: close the link's socket, if this context holds it. */
  closeSocket(link: LinkRecord, params: EffectParams['closeSocket']): Promise<void>;
  /** `replaceSocket`: make-before-break, if this context holds the socket. */
  replaceSocket(link: LinkRecord, params: EffectParams['replaceSocket']): Promise<void>;
}

export interface EffectDeps {
  metrics: Metrics;
  log: Logger;
  /**
   * Where the bot hears that a Socket Mode app's pool link parked itself (its app token refused,
   * `link_disabled`): `lifeline_parked`. Absent (a context that cannot reach the bot), only logged.
   */
  sink?: Sink;
  clock?: { now(): number };
}

/**
 * Performs a step's effects, in order, after its write: the one place an effect type is read.
 * A new effect type fails to compile here until it is given a meaning (and, if it acts on the
 * world, a performer method).
 */
export async function performEffects(deps: EffectDeps, performer: EffectPerformer, link: LinkRecord, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'requestConnect':
        await performer.connect(link, effect.params);
        break;
      case 'scheduleRetry':
        await performer.scheduleRetry(link, effect.params);
        break;
      case 'cancelRetry':
        await performer.cancelRetry(link);
        break;
      case 'closeSocket':
        await performer.closeSocket(link, effect.params);
        break;
      case 'replaceSocket':
        await performer.replaceSocket(link, effect.params);
        break;
      case 'recordOpened':
        deps.metrics.put('Reconnects', 1, { Protocol: link.protocol });
        if (effect.params.downSince !== undefined) {
          deps.metrics.put('TimeToReconnectMs', Math.max(0, link.updatedAt - effect.params.downSince), { Protocol: link.protocol });
        }
        break;
      case 'reportParked':
        deps.metrics.put('FatalErrors', 1, { Code: effect.params.reason, State: effect.params.state });
        deps.log.warn('link parked', { linkId: link.id, state: effect.params.state, reason: effect.params.reason });
        await announcePoolPark(deps, link, effect.params.reason);
        break;
      case 'reportUnknownError':
        deps.metrics.put('UnknownSlackErrors', 1, { Code: effect.params.error });
        deps.log.warn('unknown Slack error, treated as transient', { linkId: link.id, error: effect.params.error });
        break;
      default:
        unreachable(effect);
    }
  }
}

/**
 * A pool link parks for the app's configuration, which no installation event reports: tell the
 * bot. Workspace links are not announced here: their installation's park is (the uninstall event
 * that parks it), once, where the link's own park would repeat it; and an operator's park is
 * announced by the operator's action, grouped per app.
 */
async function announcePoolPark(deps: EffectDeps, link: LinkRecord, reason: string): Promise<void> {
  if (link.protocol !== 'socket' || reason === 'operator' || !deps.sink) return;
  await announceLifecycle({ sink: deps.sink, clock: deps.clock ?? Date, log: deps.log }, { kind: 'lifeline_parked', appId: link.appId, protocol: 'socket', reason, linkIds: [link.id] });
}

/** Compile-time exhaustiveness: `effect` is `never` once every type has a case. */
function unreachable(effect: never): never {
  throw new Error(`effect without a meaning: ${JSON.stringify(effect)}`);
}

/**
 * Socket effects a context that holds no socket leaves to the link's owner, which learns of them
 * when Slack closes the socket or when it reconciles its links.
 */
export function leaveSocketToOwner(log: Logger, link: LinkRecord, effect: 'closeSocket' | 'replaceSocket'): Promise<void> {
  if (link.owner) log.info('socket effect left to the owning worker', { linkId: link.id, effect, owner: link.owner });
  return Promise.resolve();
}
