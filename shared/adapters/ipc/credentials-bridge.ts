import type { ChildProcess } from 'node:child_process';
import { NoCredentialError, type Credentials, type LinkCredential, type LinkIdentity } from '../../ports';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { serveRpc } from './rpc-server';

const service = 'lifeline.credentials';

type Answer = { credential: LinkCredential } | { missing: string };

/**
 * Parent side: serves `credentials` to a forked worker, so tokens stay in the parent's store
 * and travel only over the private IPC channel, never through the environment or argv.
 */
export const serveCredentialsOverIpc = (child: ChildProcess | IpcEndpoint, credentials: Credentials): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  return serveRpc(endpoint, service, {
    forLink: async (params): Promise<Answer> => {
      try {
        return { credential: await credentials.forLink(params as LinkIdentity) };
      } catch (error) {
        // A missing installation is an answer, not a failure: it keeps its type across the channel.
        if (error instanceof NoCredentialError) return { missing: error.reason };
        throw error;
      }
    },
  });
};

/** Child side: the parent's Credentials. */
export class IpcCredentials implements Credentials {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  async forLink(link: LinkIdentity): Promise<LinkCredential> {
    const answer = (await this.rpc.call('forLink', link)) as Answer;
    if ('missing' in answer) throw new NoCredentialError(link.id, answer.missing);
    return answer.credential;
  }
}
