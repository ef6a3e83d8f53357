// A forked child for the IPC bridge tests (run with `node --import tsx`). Modes:
// - `relay`: serves back to the parent, over the same channel, the parent's own ConnectQueue,
//   Workflow, Credentials, Sink and BotAuthorizer as seen through the child-side Ipc* adapters. A test then
//   drives the relay from the parent: every call crosses a real IPC channel twice.
// - `bot-cached`: serves back only the BotAuthorizer, with its answers kept for argv[3] ms (the
//   bot process's setup: kept until the parent announces an installation write).
// - `hold`: a worker that receives commands, reports them, never acks, and long-polls again,
//   so the parent can kill it while it holds messages and while a receive is pending.
import {
  IpcBotAuthorizer,
  IpcConnectQueue,
  IpcCredentials,
  IpcSink,
  IpcWorkflow,
  parentEndpoint,
  serveBotAuthorizerOverIpc,
  serveConnectQueueOverIpc,
  serveCredentialsOverIpc,
  serveSinkOverIpc,
  serveWorkflowOverIpc,
} from '../../shared/adapters/ipc';

const endpoint = parentEndpoint();
const report = (message: Record<string, unknown>): void => endpoint.send({ test: true, ...message });
const mode = process.argv[2];

if (mode === 'relay') {
  serveConnectQueueOverIpc(endpoint, new IpcConnectQueue(endpoint));
  serveWorkflowOverIpc(endpoint, new IpcWorkflow(endpoint));
  serveCredentialsOverIpc(endpoint, new IpcCredentials(endpoint));
  serveSinkOverIpc(endpoint, new IpcSink(endpoint));
  serveBotAuthorizerOverIpc(endpoint, new IpcBotAuthorizer(endpoint));
  report({ event: 'ready' });
} else if (mode === 'bot-cached') {
  serveBotAuthorizerOverIpc(endpoint, new IpcBotAuthorizer(endpoint, { cacheMs: Number(process.argv[3]) }));
  report({ event: 'ready' });
} else if (mode === 'hold') {
  const queue = new IpcConnectQueue(endpoint);
  report({ event: 'ready' });
  const held = await queue.receive({ max: 10, waitMs: 20_000 });
  report({ event: 'received', commands: held.map((item) => item.command) });
  const next = queue.receive({ max: 10, waitMs: 60_000 });
  // IPC preserves order: once the parent sees this, the receive request is already in its queue.
  report({ event: 'polling' });
  await next;
} else {
  report({ event: 'error', message: `unknown mode ${String(mode)}` });
}
