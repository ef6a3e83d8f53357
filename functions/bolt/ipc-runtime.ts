import { CallbackSink } from '../../shared/adapters/memory/callback-sink';
import { IpcBotAuthorizer } from '../../shared/adapters/ipc/bot-bridge';
import { parentEndpoint } from '../../shared/adapters/ipc/ipc-endpoint';
import { serveSinkOverIpc } from '../../shared/adapters/ipc/sink-bridge';
import { installLifelineRuntime, type LifelineRuntime, type PayloadHandler } from './runtime';

export interface AttachOptions {
  slackApiUrl: string;
}

/**
 * Installs the runtime of a bot process forked by `npm start`: payloads arrive over the IPC
 * channel as sink deliveries (each answered on its own, with its ack payload), and `authorize`
 * asks the parent, which holds the installations and the key. Called by the host before it
 * imports the app.
 */
export function attachToParent(options: AttachOptions): LifelineRuntime {
  const endpoint = parentEndpoint();
  const authorizer = new IpcBotAuthorizer(endpoint);
  let handler: PayloadHandler | undefined;
  serveSinkOverIpc(endpoint, CallbackSink.perEvent((event) => {
    if (!handler) throw new Error('the Bolt app has not started (app.start() not called, or stopped)');
    return handler(event);
  }));
  const runtime: LifelineRuntime = {
    slackApiUrl: options.slackApiUrl,
    authorize: (query) => authorizer.authorize(query),
    fetchInstallation: (query) => authorizer.fetchInstallation(query),
    deleteInstallation: (query) => authorizer.deleteInstallation(query),
    serve: (next) => {
      if (handler && handler !== next) throw new Error('lifeline/bolt: one receiver per process; another one is already started');
      handler = next;
      return () => {
        if (handler === next) handler = undefined;
      };
    },
  };
  installLifelineRuntime(runtime);
  return runtime;
}
