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

/** Bot side: the parent's installations; a refusal comes back as a `BotAuthorizationError` with the parent's message. */
export class IpcBotAuthorizer implements BotAuthorizer {
  private readonly rpc: RpcClient;
  private readonly asking = new Map<string, Promise<BotAuthorization>>();

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  /**
   * Bolt authorizes every payload, and each ask costs the parent two store reads and a decrypt:
   * a busy team's burst of events was a burst of identical asks, queued behind each other in the
   * process that hosts the store (the Bolt bench measured a ramp of 100 events/s failing on it).
   * Asks for the same installation while one is out share its answer. Nothing is kept once it
   * is in, so a rotated token or a parked team shows at the next ask, as before.
   */
  authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    const key = JSON.stringify([query.appId ?? null, query.teamId ?? null, query.enterpriseId ?? null, query.isEnterpriseInstall]);
    let answer = this.asking.get(key);
    if (!answer) {
      answer = (this.call('authorize', query) as Promise<BotAuthorization>).finally(() => this.asking.delete(key));
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
