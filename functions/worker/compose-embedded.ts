import { IpcConnectQueue, IpcCredentials, IpcSink, IpcWorkflow, parentEndpoint } from '../../shared/adapters/ipc';
import type { WorkerDeps } from './deps';

/** The ports that differ by mode, as an embedded child has them: its parent's, over IPC (tokens never travel by env or argv). */
export type ModePorts = Pick<WorkerDeps, 'queue' | 'workflow' | 'credentials' | 'sink'>;

export function composeEmbeddedPorts(): ModePorts {
  const parent = parentEndpoint();
  return {
    queue: new IpcConnectQueue(parent),
    workflow: new IpcWorkflow(parent),
    credentials: new IpcCredentials(parent),
    sink: new IpcSink(parent),
  };
}
