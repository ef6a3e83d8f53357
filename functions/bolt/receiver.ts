import type { App, AuthorizeResult, AuthorizeSourceData, InstallationStore, Receiver } from '@slack/bolt';
import type { EventReply } from '../../shared/adapters/memory/callback-sink';
import type { SinkEvent } from '../../shared/ports/sink';
import { boltBody, isLifecycleBody } from './bolt-body';
import { lifelineInstallationStore } from './installation-store';
import { lambdaHandlerFor, type BotLambdaHandler } from './lambda-handler';
import { lifelineRuntime, type LifelineRuntime } from './runtime';

const SLACK_API_URL = 'https://slack.com/api/';

export interface LifelineReceiverOptions {
  /** Where errors of listeners that fail after their ack are reported. Default: console.error. */
  onError?: (error: unknown, event: SinkEvent) => void;
}

/**
 * A Bolt `Receiver` fed by Lifeline: every payload Lifeline receives for the app (Socket Mode
 * envelopes, RTM events as `event_callback` bodies) reaches `app.processEvent` with Slack's
 * `retryNum`/`retryReason`, and what a listener passes to `ack(...)` becomes the envelope's ack
 * payload. The answer goes back the moment `ack` is called; the listener may go on (a `say()`
 * after the ack), as under Bolt's own Socket Mode receiver. Lifeline bounds the time a
 * listener has to ack (`LIFELINE_HANDLER_TIMEOUT_MS`, under Slack's 3 s): past it the envelope
 * stays unacked.
 *
 * `authorize` is Bolt's authorize over Lifeline's installations: the current (rotated) bot token
 * of the payload's team, its bot id and bot user id; `installationStore` is the same
 * installations as Bolt's `InstallationStore`. `clientOptions` points the app's Web API
 * client at the Slack Lifeline talks to.
 */
export class LifelineReceiver implements Receiver {
  readonly clientOptions: { slackApiUrl: string };
  readonly authorize: (source: AuthorizeSourceData<boolean>, body?: unknown) => Promise<AuthorizeResult>;
  /** Reads give the current bot token, a delete parks the installation, a store is refused (Lifeline owns installs). */
  readonly installationStore: InstallationStore = lifelineInstallationStore(() => runtime());
  private app: App | undefined;
  private stopServing: (() => void) | undefined;

  constructor(private readonly options: LifelineReceiverOptions = {}) {
    // Read at construction: Bolt builds its client in the App constructor, before start().
    this.clientOptions = { slackApiUrl: lifelineRuntime()?.slackApiUrl ?? process.env.SLACK_API_URL ?? SLACK_API_URL };
    this.authorize = async (source, body) => {
      // A lifecycle notice is about the installation itself (a parked one has no token to give):
      // its listeners get the team, as Bolt does for `app_uninstalled` and `tokens_revoked`.
      if (isLifecycleBody(eventTypeOf(body))) {
        return { ...(source.teamId ? { teamId: source.teamId } : {}), ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}) };
      }
      const result = await runtime().authorize({
        isEnterpriseInstall: source.isEnterpriseInstall === true,
        ...(source.teamId ? { teamId: source.teamId } : {}),
        ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
        ...appIdOf(body),
      });
      return { botToken: result.botToken, botUserId: result.botUserId, teamId: result.teamId, ...(result.botId ? { botId: result.botId } : {}) };
    };
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<this> {
    if (!this.app) throw new Error('LifelineReceiver: start() before init(): pass the receiver to new App({ receiver })');
    this.stopServing ??= runtime().serve((event) => this.handle(event));
    return this;
  }

  async stop(): Promise<void> {
    this.stopServing?.();
    this.stopServing = undefined;
  }

  /** One payload through Bolt; resolves with the ack payload once a listener acked. */
  handle(event: SinkEvent): Promise<EventReply> {
    return this.process(event).answer;
  }

  /**
   * The Bolt app as a Lambda handler, for a bot that runs in its own function on AWS: the worker
   * invokes it with each payload (`SinkEvent` JSON) and puts what it returns (`{ ackPayload }`)
   * into the ack. Unlike under `npm start`, it returns only once the listener is done, ack or
   * not: Lambda freezes a function that has returned, so work after the ack would stall until
   * the next invocation. `authorize` reads Lifeline's installations table and opens tokens with
   * its token key (the function's environment names both: `readBotLambdaConfig`).
   */
  toLambdaHandler(): BotLambdaHandler {
    return lambdaHandlerFor(this);
  }

  /** One payload through Bolt: `answer` once a listener acked, `done` once the listeners finished. */
  process(event: SinkEvent): { answer: Promise<EventReply>; done: Promise<void> } {
    const app = this.app;
    if (!app) {
      const error = Promise.reject(new Error('LifelineReceiver: no app: pass the receiver to new App({ receiver })'));
      error.catch(() => undefined);
      return { answer: error, done: Promise.resolve() };
    }
    let acked = false;
    let resolveAnswer!: (reply: EventReply) => void;
    let rejectAnswer!: (error: unknown) => void;
    const answer = new Promise<EventReply>((resolve, reject) => {
      resolveAnswer = resolve;
      rejectAnswer = reject;
    });
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new Error('ack() was already called for this payload');
      acked = true;
      resolveAnswer(response === undefined || response === '' ? {} : { ackPayload: response });
    };
    const done = app.processEvent({
      body: boltBody(event),
      ack,
      ...(event.retryAttempt !== undefined ? { retryNum: event.retryAttempt } : {}),
      ...(event.retryReason !== undefined ? { retryReason: event.retryReason } : {}),
    }).then(
      () => {
        if (!acked) rejectAnswer(new Error(`no listener acked the ${event.kind} payload`));
      },
      (error: unknown) => {
        if (!acked) rejectAnswer(error);
        else (this.options.onError ?? defaultOnError)(error, event);
      },
    );
    return { answer, done };
  }
}

function runtime(): LifelineRuntime {
  const found = lifelineRuntime();
  if (!found) {
    throw new Error('lifeline/bolt: no running Lifeline in this process. Run the app under Lifeline: LIFELINE_BOT=<this module> npm start (the module default-exports the App).');
  }
  return found;
}

function eventTypeOf(body: unknown): unknown {
  const event = typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined;
  return typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
}

function appIdOf(body: unknown): { appId?: string } {
  const appId = typeof body === 'object' && body !== null ? (body as { api_app_id?: unknown }).api_app_id : undefined;
  return typeof appId === 'string' ? { appId } : {};
}

function defaultOnError(error: unknown, event: SinkEvent): void {
  console.error(`lifeline/bolt: a listener failed after its ack (${event.kind}, ${event.id}):`, error);
}
