import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { refusal, type Sink, type SinkAnswer, type SinkEvent } from '../../ports';
import { settleWithin } from '../../time';

export interface LambdaBotSinkOptions {
  client: Pick<LambdaClient, 'send'>;
  /** The bot's function: name, ARN or partial ARN (a qualified ARN names an alias or version). */
  functionName: string;
  /**
   * How long a synchronous invocation may take before its envelope is refused (left unacked).
   * Default 2,500 ms: under Slack's 3 s ack window, with room for the ack to travel.
   */
  syncTimeoutMs?: number;
}

/** Lambda's invocation payload limits (bytes of the request body). */
export const lambdaPayloadLimits = { sync: 6 * 1024 * 1024, async: 256 * 1024 } as const;

export const DEFAULT_SYNC_TIMEOUT_MS = 2_500;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sink into the bot's Lambda: the body each invocation carries is the `SinkEvent` as JSON, the
 * same value an embedded bot receives. An envelope whose ack takes a payload (commands,
 * interactions, options: `acceptsResponsePayload`) is invoked synchronously (`RequestResponse`)
 * within `syncTimeoutMs`, and the function's answer (`{ ackPayload }`, what the receiver's Lambda
 * handler returns) goes into the ack; a function error, an unreadable answer or a late one is a
 * refusal, so the envelope stays unacked and Slack redelivers or shows its timeout. Anything else
 * is invoked asynchronously (`Event`): accepted once Lambda has queued it, with no answer, since
 * Slack takes none. Each event is its own invocation (Lambda has no batch invoke).
 */
export class LambdaBotSink implements Sink {
  private readonly syncTimeoutMs: number;

  constructor(private readonly options: LambdaBotSinkOptions) {
    this.syncTimeoutMs = options.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
  }

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    return events.map((event) => this.deliverOne(event).catch(refusal));
  }

  /** Whether this event's answer comes from the bot (a synchronous invocation). */
  static answersInAck(event: SinkEvent): boolean {
    return event.acceptsResponsePayload === true;
  }

  private async deliverOne(event: SinkEvent): Promise<SinkAnswer> {
    const sync = LambdaBotSink.answersInAck(event);
    const payload = encoder.encode(JSON.stringify(event));
    const limit = sync ? lambdaPayloadLimits.sync : lambdaPayloadLimits.async;
    if (payload.byteLength > limit) {
      return { ok: false, reason: `the ${event.kind} payload ${event.id} is ${payload.byteLength} bytes, over Lambda's ${limit}-byte ${sync ? 'synchronous' : 'asynchronous'} invocation limit: not sent to the bot` };
    }
    return sync ? this.invokeForAnswer(event, payload) : this.invokeAndForget(event, payload);
  }

  private async invokeAndForget(event: SinkEvent, payload: Uint8Array): Promise<SinkAnswer> {
    const out = await this.options.client.send(new InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'Event', Payload: payload }));
    // 202: queued for the function. Anything else is not an acceptance.
    if (out.StatusCode !== 202) return { ok: false, reason: `Lambda did not queue the ${event.kind} payload ${event.id} (status ${String(out.StatusCode)})` };
    return { ok: true };
  }

  private async invokeForAnswer(event: SinkEvent, payload: Uint8Array): Promise<SinkAnswer> {
    const abort = new AbortController();
    // Promise.resolve: a stand-in client (a test double) may answer with a plain value.
    const call = Promise.resolve(this.options.client.send(
      new InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'RequestResponse', Payload: payload }),
      { abortSignal: abort.signal },
    ));
    const settled = await settleWithin(call, this.syncTimeoutMs);
    if (!settled.done) {
      // The bot may still finish, but Slack's window is closing: no ack, so Slack decides (retry or timeout).
      abort.abort();
      call.catch(() => undefined);
      return { ok: false, reason: `the bot's function did not answer the ${event.kind} payload ${event.id} within ${this.syncTimeoutMs} ms` };
    }
    const out = settled.value;
    const body = out.Payload ? decoder.decode(out.Payload) : '';
    if (out.FunctionError) {
      return { ok: false, reason: `the bot's function failed on the ${event.kind} payload ${event.id} (${out.FunctionError}): ${errorMessageOf(body)}` };
    }
    return answerOf(event, body);
  }
}

/** The handler's return value: `{ ackPayload? }` or null (acked bare). */
function answerOf(event: SinkEvent, body: string): SinkAnswer {
  if (body.trim() === '' || body.trim() === 'null') return { ok: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: `the bot's function answered the ${event.kind} payload ${event.id} with something that is not JSON` };
  }
  if (parsed === null) return { ok: true };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: `the bot's function answered the ${event.kind} payload ${event.id} with ${Array.isArray(parsed) ? 'an array' : typeof parsed}, not { ackPayload }` };
  }
  const { ackPayload } = parsed as { ackPayload?: unknown };
  return ackPayload === undefined ? { ok: true } : { ok: true, ackPayload };
}

/** Lambda's error document (`{ errorType, errorMessage }`), or the raw body, short. */
function errorMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return typeof parsed.errorType === 'string' ? `${parsed.errorType}: ${parsed.errorMessage}` : parsed.errorMessage;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300) || 'no error document';
}
