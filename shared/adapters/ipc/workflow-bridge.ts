import type { ChildProcess } from 'node:child_process';
import type { ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from '../../ports';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';
import { RpcClient } from './rpc-client';
import { serveRpc } from './rpc-server';

const service = 'lifeline.workflow';

/**
 * Parent side: serves `workflow` to one forked child, so retries a child schedules live in the
 * parent and survive the child's death. Returns a function that stops serving.
 */
export const serveWorkflowOverIpc = (child: ChildProcess | IpcEndpoint, workflow: Workflow): (() => void) => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  return serveRpc(endpoint, service, {
    scheduleRetry: async (params) => workflow.scheduleRetry(params as RetryRequest),
    cancelRetry: async (params) => workflow.cancelRetry((params as { linkId: string }).linkId),
    startReactivation: async (params) => workflow.startReactivation(params as ReactivationRequest),
    completeConnect: async (params) => {
      const { taskToken, outcome } = params as { taskToken: string; outcome: ConnectOutcome };
      await workflow.completeConnect(taskToken, outcome);
    },
  });
};

/** Child side: the parent's Workflow, over the IPC channel (`parentEndpoint()`). */
export class IpcWorkflow implements Workflow {
  private readonly rpc: RpcClient;

  constructor(endpoint: IpcEndpoint) {
    this.rpc = new RpcClient(endpoint, service);
  }

  async scheduleRetry(request: RetryRequest): Promise<void> {
    await this.rpc.call('scheduleRetry', request);
  }

  async cancelRetry(linkId: string): Promise<void> {
    await this.rpc.call('cancelRetry', { linkId });
  }

  async startReactivation(request: ReactivationRequest): Promise<void> {
    await this.rpc.call('startReactivation', request);
  }

  async completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void> {
    await this.rpc.call('completeConnect', { taskToken, outcome });
  }
}
