import type { EventReply } from '../../shared/adapters/memory/callback-sink';
import type { SinkEvent } from '../../shared/ports/sink';
import { awsBotRuntimeFrom, readBotLambdaConfig } from './aws-runtime';
import { installLifelineRuntime, lifelineRuntime, type LifelineRuntime } from './runtime';

/** What the handler needs of the receiver (`LifelineReceiver`): start once, then one payload at a time. */
export interface ProcessesPayloads {
  start(): Promise<unknown>;
  process(event: SinkEvent): { answer: Promise<EventReply>; done: Promise<void> };
}

/** What the bot's function exports as its handler: one payload in, the ack payload out. */
export type BotLambdaHandler = (invocation: unknown) => Promise<EventReply>;

/**
 * The receiver as a Lambda handler. The runtime comes from the function's environment on the
 * first invocation (the edge: nothing is read at import), unless one is installed already (a test,
 * or a host that brings its own). Each invocation is one payload; the handler answers once the
 * listener acked and finished, and throws when no listener acked or the payload is not one
 * Lifeline sends, which the worker takes as a refusal (the envelope stays unacked).
 */
export function lambdaHandlerFor(receiver: ProcessesPayloads, runtimeFromEnv: () => LifelineRuntime = () => awsBotRuntimeFrom(readBotLambdaConfig(process.env))): BotLambdaHandler {
  return async (invocation) => {
    const event = sinkEventOf(invocation);
    if (!lifelineRuntime()) installLifelineRuntime(runtimeFromEnv());
    await receiver.start();
    const { answer, done } = receiver.process(event);
    const reply = await answer;
    await done;
    return reply;
  };
}

const PROTOCOLS = new Set(['rtm', 'socket']);

/** The invocation as Lifeline sends it (`LambdaBotSink`), or a clear error naming what is wrong. */
export function sinkEventOf(invocation: unknown): SinkEvent {
  if (typeof invocation !== 'object' || invocation === null || Array.isArray(invocation)) {
    throw new TypeError(`lifeline/bolt: the invocation is not a Lifeline payload (got ${Array.isArray(invocation) ? 'an array' : typeof invocation}); this handler is invoked by Lifeline's worker only`);
  }
  const event = invocation as Record<string, unknown>;
  const problems = [
    ...['id', 'linkId', 'appId', 'kind'].filter((field) => typeof event[field] !== 'string' || event[field] === '').map((field) => `${field} is not a non-empty string`),
    ...(typeof event.protocol === 'string' && PROTOCOLS.has(event.protocol) ? [] : ['protocol is neither rtm nor socket']),
    ...(typeof event.receivedAt === 'number' ? [] : ['receivedAt is not a number']),
    ...(typeof event.payload === 'object' && event.payload !== null ? [] : ['payload is not an object']),
  ];
  if (problems.length > 0) throw new TypeError(`lifeline/bolt: the invocation is not a Lifeline payload: ${problems.join('; ')}`);
  return event as unknown as SinkEvent;
}
