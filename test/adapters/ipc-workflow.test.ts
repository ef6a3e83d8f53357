import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { childEndpoint, IpcRemoteError, IpcWorkflow, serveWorkflowOverIpc } from '../../shared/adapters/ipc';
import { InProcessWorkflow } from '../../shared/adapters/memory';
import type { ConnectOutcome, RetryRequest, Workflow } from '../../shared/ports';
import { forkIpcChild, killChild } from '../support/ipc-children';
import { ManualTimers } from '../support/manual-timers';

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

  it('schedules, replaces and cancels retries on the parent, where they fire', async () => {
    const timers = new ManualTimers();
    const due: RetryRequest[] = [];
    const parent = new InProcessWorkflow({ timers, onRetryDue: (request) => void due.push(request) });
    const remote = await through(parent);

    await remote.scheduleRetry({ linkId: 'L1', epoch: 2, attempt: 1, delayMs: 1_000 });
    await remote.scheduleRetry({ linkId: 'L2', epoch: 2, attempt: 1, delayMs: 1_000 });
    await remote.cancelRetry('L2');
    expect(parent.pendingRetries()).toEqual([{ linkId: 'L1', epoch: 2, attempt: 1, delayMs: 1_000 }]);
    await timers.advance(1_000);
    expect(due).toEqual([{ linkId: 'L1', epoch: 2, attempt: 1, delayMs: 1_000 }]);
  });

  it('delivers a connect outcome to the waiter on the parent', async () => {
    const tasks = new Map<string, (outcome: ConnectOutcome) => void>();
    const outcome = new Promise<ConnectOutcome>((resolve) => tasks.set('tok', resolve));
    const remote = await through(new InProcessWorkflow({ tasks, onRetryDue: () => undefined }));
    await remote.completeConnect('tok', { ok: false, kind: 'stale', cause: { error: 'epoch 3 is not current' } });
    expect(await outcome).toEqual({ ok: false, kind: 'stale', cause: { error: 'epoch 3 is not current' } });
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
    const error = await remote.scheduleRetry({ linkId: 'L1', epoch: 1, attempt: 1, delayMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcRemoteError);
    expect(error).toMatchObject({ name: 'WorkflowDown', code: 'WORKFLOW_DOWN', message: 'no scheduler' });
  });
});
