import type { SinkEvent } from '../../shared/ports/sink';
import type { EventReply } from '../../shared/adapters/memory/callback-sink';
import type { BotAuthorization, BotAuthorizationQuery, BotInstallation } from '../../shared/ports/bot-authorizer';

export type { BotAuthorization, BotAuthorizationQuery, BotInstallation };

/** Handles one payload; resolves with the ack payload once the listener acked. */
export type PayloadHandler = (event: SinkEvent) => Promise<EventReply | void>;

/**
 * The running Lifeline as a bot process sees it. One per process, in this module's registry:
 * the host (`npm start`'s bot process) installs it before it imports the app, and the app's
 * `LifelineReceiver` finds it here. That is why the host imports this module from the very file
 * the app's `import 'lifeline/bolt'` resolves to: a second copy would have an empty registry.
 */
export interface LifelineRuntime {
  /** The Web API base of the Slack Lifeline talks to (the simulator in simulator mode), with a trailing slash. */
  readonly slackApiUrl: string;
  authorize(query: BotAuthorizationQuery): Promise<BotAuthorization>;
  fetchInstallation(query: BotAuthorizationQuery): Promise<BotInstallation>;
  /** Parks the installation and revokes its link. */
  deleteInstallation(query: BotAuthorizationQuery): Promise<{ outcome: string }>;
  /** Routes every payload to `handler` until the returned function is called. */
  serve(handler: PayloadHandler): () => void;
}

let current: LifelineRuntime | undefined;

export function installLifelineRuntime(runtime: LifelineRuntime): void {
  if (current && current !== runtime) throw new Error('lifeline/bolt: a Lifeline runtime is already installed in this process');
  current = runtime;
}

/** The installed runtime, or undefined outside a Lifeline bot process. */
export const lifelineRuntime = (): LifelineRuntime | undefined => current;

/** For tests: forget the installed runtime. */
export function resetLifelineRuntime(): void {
  current = undefined;
}
