export { IpcConnectQueue, serveConnectQueueOverIpc } from './connect-queue-bridge';
export { childEndpoint, parentEndpoint, type IpcEndpoint } from './ipc-endpoint';
export { IpcClosedError, IpcRemoteError } from './rpc-protocol';
export { IpcWorkflow, serveWorkflowOverIpc } from './workflow-bridge';
export { IpcCredentials, serveCredentialsOverIpc } from './credentials-bridge';
export { IpcSink, serveSinkOverIpc } from './sink-bridge';
export { announceInstallationWrite, IpcBotAuthorizer, serveBotAuthorizerOverIpc, type IpcBotAuthorizerOptions } from './bot-bridge';
export { onLinkParked, sendLinkParked } from './link-notice-bridge';
