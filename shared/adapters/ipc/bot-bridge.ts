import type { ChildProcess } from 'node:child_process';
import { BotAuthorizationError, type BotAuthorization, type BotAuthorizationQuery, type BotAuthorizer, type BotInstallation } from '../../ports/bot-authorizer';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { IpcRemoteError } from './rpc-protocol';
import { serveRpc } from './rpc-server';

const service = 'lifeline.bot';

/** Parent side: the bot process asks for its tokens here (tokens travel only over IPC). */
export const serveBotAuthorizerOverIpc = (child: ChildProcess | IpcEndpoint, authorizer: BotAuthorizer): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  return serveRpc(endpoint, service, {
    authorize: (params) => authorizer.authorize(params as BotAuthorizationQuery),
    fetchInstallation: (params) => authorizer.fetchInstallation(params as BotAuthorizationQuery),
    deleteInstallation: (params) => authorizer.deleteInstallation(params as BotAuthorizationQuery),
  });
};

/** The one-way notice the parent sends when an installation was written (no id: not an RPC message). */
const CHANGED = { service: `${service}.installations`, kind: 'changed' } as const;

const isChangedNotice = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && (message as { service?: unknown }).service === CHANGED.service && (message as { kind?: unknown }).kind === CHANGED.kind;

/**
 * Parent side: tells the bot process that an installation was written (install, reinstall,
 * token rotation, park, reactivation), so its cached `authorize` answers are dropped. Sent on the
 * same channel as the payloads, so a payload the parent relays after the write arrives after the
 * notice (IPC keeps order).
 */
export const announceInstallationWrite = (child: ChildProcess | IpcEndpoint): void => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  endpoint.send(CHANGED);
};

export interface IpcBotAuthorizerOptions {
  /**
   * Keep each `authorize` answer this long (0, the default: keep nothing). Only for a parent that
   * calls `announceInstallationWrite` on every installation write (`npm start`'s bot process
   * does): a notice drops every kept answer. The bound covers what changes without a write: a
   * rotating token that comes due is refreshed (and written) at the next ask after it.
   */
  cacheMs?: number;
  now?: () => number;
}

interface Kept {
  answer: BotAuthorization;
  until: number;
}

/** Bot side: the parent's installations; a refusal comes back as a `BotAuthorizationError` with the parent's message. */
export class IpcBotAuthorizer implements BotAuthorizer {
  private readonly rpc: RpcClient;
  private readonly asking = new Map<string, Promise<BotAuthorization>>();
  private readonly kept = new Map<string, Kept>();
  /** Grows with every write notice: an answer asked for before one is never kept. */
  private generation = 0;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(endpoint: IpcEndpoint, options: IpcBotAuthorizerOptions = {}) {
    this.rpc = new RpcClient(endpoint, service);
    this.cacheMs = options.cacheMs ?? 0;
    this.now = options.now ?? Date.now;
    endpoint.onMessage((message) => {
      if (!isChangedNotice(message)) return;
      this.generation += 1;
      this.kept.clear();
      this.asking.clear();
    });
  }

  /**
   * Bolt authorizes every payload, and each ask costs the parent two store reads and a decrypt,
   * in the process that hosts the store (the Bolt bench measured a ramp of 100 events/s failing
   * on it). So asks for the same installation while one is out share its answer, and with
   * `cacheMs` an answer is kept until the parent announces an installation write (or the bound
   * passes). Refusals (not installed, parked) are never kept.
   */
  authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    const key = JSON.stringify([query.appId ?? null, query.teamId ?? null, query.enterpriseId ?? null, query.isEnterpriseInstall]);
    const kept = this.kept.get(key);
    if (kept && kept.until > this.now()) return Promise.resolve(kept.answer);
    let answer = this.asking.get(key);
    if (!answer) {
      const generation = this.generation;
      const asked = (this.call('authorize', query) as Promise<BotAuthorization>).then((result) => {
        if (this.cacheMs > 0 && generation === this.generation) this.kept.set(key, { answer: result, until: this.now() + this.cacheMs });
        return result;
      });
      answer = asked.finally(() => {
        if (this.asking.get(key) === answer) this.asking.delete(key);
      });
      this.asking.set(key, answer);
    }
    return answer;
  }
  fetchInstallation(query: BotAuthorizationQuery): Promise<BotInstallation> {
    return this.call('fetchInstallation', query) as Promise<BotInstallation>;
  }

  deleteInstallation(query: BotAuthorizationQuery): Promise<{ outcome: string }> {
    return this.call('deleteInstallation', query) as Promise<{ outcome: string }>;
  }

  private async call(method: string, query: BotAuthorizationQuery): Promise<unknown> {
    try {
      return await this.rpc.call(method, query);
    } catch (error) {
      if (error instanceof IpcRemoteError && error.code === 'BOT_AUTHORIZATION_FAILED') throw new BotAuthorizationError(error.message);
      throw new BotAuthorizationError(`Lifeline could not answer ${method}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
