import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BotAndBusSink, LambdaBotSink, lambdaPayloadLimits } from '../../shared/adapters/lambda';
import type { Sink, SinkAnswer, SinkEvent } from '../../shared/ports';

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:my-bot';
const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const base = { linkId: 'sm:A1:0', appId: 'A1', teamId: 'T1', protocol: 'socket' as const, receivedAt: 1_700_000_000_000 };
const command: SinkEvent = {
  ...base, id: 'A1:env:E1', kind: 'slash_commands', envelopeId: 'E1', acceptsResponsePayload: true,
  payload: { command: '/ping', text: 'now', team_id: 'T1', api_app_id: 'A1' },
};
const mention: SinkEvent = {
  ...base, id: 'A1:Ev1', kind: 'events_api', envelopeId: 'E2', acceptsResponsePayload: false,
  payload: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi' } },
};

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
const sentPayload = (input: InvokeCommandInput): unknown => JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
const sink = (syncTimeoutMs?: number) => new LambdaBotSink({ client: new LambdaClient({ region: 'eu-west-1' }), functionName: FUNCTION_ARN, ...(syncTimeoutMs ? { syncTimeoutMs } : {}) });
const one = async (s: Sink, event: SinkEvent): Promise<SinkAnswer> => (await Promise.all(s.deliver([event])))[0]!;

describe('LambdaBotSink: the bot\'s Lambda, synchronously where the ack takes a payload', () => {
  it('invokes RequestResponse with the whole envelope and answers with the ackPayload the function returned', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ ackPayload: { text: 'pong' } }) });

    expect(await one(sink(), command)).toEqual({ ok: true, ackPayload: { text: 'pong' } });
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'RequestResponse' });
    // The same body an embedded bot gets: the SinkEvent, JSON.
    expect(sentPayload(call!.args[0].input)).toEqual(command);
  });

  it('acks bare when the function returns no ackPayload (an empty ack(), or null)', async () => {
    lambda.on(InvokeCommand).resolvesOnce({ StatusCode: 200, Payload: bytes({}) }).resolvesOnce({ StatusCode: 200, Payload: bytes(null) });
    expect(await one(sink(), command)).toEqual({ ok: true });
    expect(await one(sink(), command)).toEqual({ ok: true });
  });

  it('invokes anything else as an Event (queued, no answer) and accepts it on 202', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    expect(await one(sink(), mention)).toEqual({ ok: true });
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    expect(sentPayload(call!.args[0].input)).toEqual(mention);
  });

  it('refuses (no ack) when the function failed, naming its error', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: bytes({ errorType: 'Error', errorMessage: 'no listener acked the slash_commands payload' }) });

    const answer = await one(sink(), command);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.reason).toMatch(/failed on the slash_commands payload A1:env:E1 \(Unhandled\): Error: no listener acked/);
  });

  it('refuses (no ack) when the function has not answered within the deadline, and aborts the call', async () => {
    let aborted = false;
    lambda.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const client = new LambdaClient({ region: 'eu-west-1' });
    const never = new LambdaBotSink({
      client: { send: ((command: InvokeCommand, options?: { abortSignal?: AbortSignal }) => {
        options?.abortSignal?.addEventListener('abort', () => (aborted = true));
        return client.send(command);
      }) as LambdaClient['send'] },
      functionName: FUNCTION_ARN,
      syncTimeoutMs: 50,
    });

    const answer = await one(never, command);
    expect(answer).toEqual({ ok: false, reason: expect.stringMatching(/did not answer the slash_commands payload A1:env:E1 within 50 ms/) });
    expect(aborted).toBe(true);
  });

  it('refuses an answer that is not JSON or not an object, and an Event Lambda did not queue', async () => {
    lambda.on(InvokeCommand).resolvesOnce({ StatusCode: 200, Payload: new TextEncoder().encode('pong') as never }).resolvesOnce({ StatusCode: 200, Payload: bytes(['pong']) });
    expect(await one(sink(), command)).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
    expect(await one(sink(), command)).toMatchObject({ ok: false, reason: expect.stringMatching(/an array, not \{ ackPayload \}/) });
    lambda.reset();
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    expect(await one(sink(), mention)).toEqual({ ok: false, reason: 'Rate exceeded' });
  });

  it("refuses a payload over Lambda's limits without calling it: 256 KB queued, 6 MB synchronous", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const big = (event: SinkEvent, size: number): SinkEvent => ({ ...event, payload: { ...(event.payload as object), blob: 'x'.repeat(size) } });

    expect(await one(sink(), big(mention, lambdaPayloadLimits.async))).toMatchObject({ ok: false, reason: expect.stringMatching(/over Lambda's 262144-byte asynchronous invocation limit/) });
    expect(await one(sink(), big(command, lambdaPayloadLimits.sync))).toMatchObject({ ok: false, reason: expect.stringMatching(/over Lambda's 6291456-byte synchronous invocation limit/) });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    // Under the limit, the same kind goes through.
    expect(await one(sink(), big(mention, lambdaPayloadLimits.async - 1_000))).toEqual({ ok: true });
  });
});

/** A sink whose answer per event id the test sets; it records what it was given. */
function scripted(answers: Record<string, SinkAnswer | Promise<SinkAnswer>>): Sink & { seen: string[] } {
  const seen: string[] = [];
  return { seen, deliver: (events) => events.map(async (e): Promise<SinkAnswer> => (seen.push(e.id), answers[e.id] ?? { ok: true })) };
}

describe('BotAndBusSink: every event to the bus and the bot', () => {
  it("answers a command with the bot's answer as soon as it is in, without waiting for the bus", async () => {
    let busAnswers!: (answer: SinkAnswer) => void;
    const bus = scripted({ [command.id]: new Promise<SinkAnswer>((resolve) => (busAnswers = resolve)) });
    const bot = scripted({ [command.id]: { ok: true, ackPayload: { text: 'pong' } } });
    const refusedOnBus: string[] = [];
    const both = new BotAndBusSink({ bus, bot, onBusRefusedAnswered: (event, reason) => refusedOnBus.push(`${event.id}: ${reason}`) });

    expect(await one(both, command)).toEqual({ ok: true, ackPayload: { text: 'pong' } });
    expect(bus.seen).toEqual([command.id]);
    // The bus refusing later does not take the answer back: it is reported.
    busAnswers({ ok: false, reason: 'EventBridge did not accept 1 of 1 event(s): ThrottlingException' });
    await expect.poll(() => refusedOnBus).toEqual([`${command.id}: EventBridge did not accept 1 of 1 event(s): ThrottlingException`]);
  });

  it("refuses a command the bot refused, even though the bus took it", async () => {
    const both = new BotAndBusSink({ bus: scripted({}), bot: scripted({ [command.id]: { ok: false, reason: 'timed out' } }) });
    expect(await one(both, command)).toEqual({ ok: false, reason: 'timed out' });
  });

  it('accepts an event only when both took it, and says which one refused', async () => {
    const busRefuses = new BotAndBusSink({ bus: scripted({ [mention.id]: { ok: false, reason: 'EntryTooLarge' } }), bot: scripted({}) });
    const botRefuses = new BotAndBusSink({ bus: scripted({}), bot: scripted({ [mention.id]: { ok: false, reason: 'Rate exceeded' } }) });
    const bothTake = new BotAndBusSink({ bus: scripted({}), bot: scripted({ [mention.id]: { ok: true, ackPayload: { ignored: true } } }) });

    expect(await one(busRefuses, mention)).toEqual({ ok: false, reason: 'event bus: EntryTooLarge' });
    expect(await one(botRefuses, mention)).toEqual({ ok: false, reason: 'bot: Rate exceeded' });
    expect(await one(bothTake, mention)).toEqual({ ok: true });
  });
});
