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

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    return this.call('authorize', query) as Promise<BotAuthorization>;
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
