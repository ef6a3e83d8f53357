import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { childEndpoint, IpcRemoteError, IpcWorkflow, serveWorkflowOverIpc } from '../../shared/adapters/ipc';
import type { ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from '../../shared/ports';
import { forkIpcChild, killChild } from '../support/ipc-children';

/** The parent's workflow: records every call it receives, in order. */
class RecordingWorkflow implements Workflow {
  readonly calls: Array<[string, unknown]> = [];
  async scheduleRetry(request: RetryRequest): Promise<void> {
    this.calls.push(['scheduleRetry', request]);
  }
  async cancelRetry(linkId: string): Promise<void> {
    this.calls.push(['cancelRetry', linkId]);
  }
  async startReactivation(request: ReactivationRequest): Promise<void> {
    this.calls.push(['startReactivation', request]);
  }
  async completeConnect(taskToken: string, outcome: ConnectOutcome): Promise<void> {
    this.calls.push(['completeConnect', { taskToken, outcome }]);
  }
}

// parent test → IPC → child's IpcWorkflow (relay) → IPC → the parent's workflow.

describe('IPC bridge for the Workflow', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
  });
  const through = async (workflow: Workflow): Promise<IpcWorkflow> => {
    child = await forkIpcChild('relay');
    serveWorkflowOverIpc(child, workflow);
    return new IpcWorkflow(childEndpoint(child));
  };

  it('carries every call to the parent\'s workflow, in order, with its arguments', async () => {
    const parent = new RecordingWorkflow();
    const remote = await through(parent);

    await remote.scheduleRetry({ linkId: 'L1', epoch: 2, attempt: 1, delayMs: 1_000, dueAt: 5_000 });
    await remote.cancelRetry('L2');
    await remote.startReactivation({ linkId: 'L3', appId: 'A1', teamId: 'T1', tokenVersion: 2 });
    await remote.completeConnect('tok', { ok: false, kind: 'stale', cause: { error: 'epoch 3 is not current' } });

    expect(parent.calls).toEqual([
      ['scheduleRetry', { linkId: 'L1', epoch: 2, attempt: 1, delayMs: 1_000, dueAt: 5_000 }],
      ['cancelRetry', 'L2'],
      ['startReactivation', { linkId: 'L3', appId: 'A1', teamId: 'T1', tokenVersion: 2 }],
      ['completeConnect', { taskToken: 'tok', outcome: { ok: false, kind: 'stale', cause: { error: 'epoch 3 is not current' } } }],
    ]);
  });

  it("brings a parent-side failure back with its name and code", async () => {
    class WorkflowDown extends Error {
      readonly code = 'WORKFLOW_DOWN';
      override name = 'WorkflowDown';
    }
    const failing: Workflow = {
      scheduleRetry: () => Promise.reject(new WorkflowDown('no scheduler')),
      cancelRetry: () => Promise.resolve(),
      startReactivation: () => Promise.resolve(),
      completeConnect: () => Promise.resolve(),
    };
    const remote = await through(failing);
    const error = await remote.scheduleRetry({ linkId: 'L1', epoch: 1, attempt: 1, delayMs: 0, dueAt: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcRemoteError);
    expect(error).toMatchObject({ name: 'WorkflowDown', code: 'WORKFLOW_DOWN', message: 'no scheduler' });
  });
});
