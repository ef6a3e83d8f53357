import type { ChildProcess } from 'node:child_process';
import { BotAuthorizationError, type BotAuthorization, type BotAuthorizationQuery, type BotAuthorizer } from '../../ports/bot-authorizer';
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
  });
};

/** Bot side: the parent's installations; a refusal comes back as a `BotAuthorizationError` with the parent's message. */
export class IpcBotAuthorizer implements BotAuthorizer {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  async authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    try {
      return (await this.rpc.call('authorize', query)) as BotAuthorization;
    } catch (error) {
      if (error instanceof IpcRemoteError && error.code === 'BOT_AUTHORIZATION_FAILED') throw new BotAuthorizationError(error.message);
      throw new BotAuthorizationError(`Lifeline could not authorize: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
