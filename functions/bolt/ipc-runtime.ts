import { CallbackSink } from '../../shared/adapters/memory/callback-sink';
import { IpcBotAuthorizer } from '../../shared/adapters/ipc/bot-bridge';
import { parentEndpoint } from '../../shared/adapters/ipc/ipc-endpoint';
import { serveSinkOverIpc } from '../../shared/adapters/ipc/sink-bridge';
import { installLifelineRuntime, type LifelineRuntime, type PayloadHandler } from './runtime';

export interface AttachOptions {
  slackApiUrl: string;
}

/**
 * How long the bot keeps an installation's `authorize` answer. The parent announces every
 * installation write (install, rotation, park, reactivation), which drops it at once; the bound
 * only covers a rotating token coming due, which the parent refreshes at the next ask after it
 * (with hours of validity left, so a minute-old answer still works).
 */
const AUTHORIZE_CACHE_MS = 60_000;

/**
 * Installs the runtime of a bot process forked by `npm start`: payloads arrive over the IPC
 * channel as sink deliveries (each answered on its own, with its ack payload), and `authorize`
 * asks the parent, which holds the installations and the key (answers kept until the parent
 * announces an installation write). Called by the host before it imports the app.
 */
export function attachToParent(options: AttachOptions): LifelineRuntime {
  const endpoint = parentEndpoint();
  const authorizer = new IpcBotAuthorizer(endpoint, { cacheMs: AUTHORIZE_CACHE_MS });
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
