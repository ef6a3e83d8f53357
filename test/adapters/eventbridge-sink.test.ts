import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeSink, type EventBridgeSinkOptions } from '../../shared/adapters/eventbridge';
import { SinkError, type SinkEvent } from '../../shared/ports';
import { awsError, localAwsConfig, startAwsJsonServer, type AwsJsonReply, type AwsJsonServer } from '../support/aws-json-server';

// The real EventBridgeClient against a local server speaking AWS JSON 1.1 (`AWSEvents.PutEvents`):
// the requests asserted here are the ones the SDK really serialized. `decide` lets each test
// choose, per entry, whether "EventBridge" accepts it.

type Entry = { Source: string; DetailType: string; Detail: string; EventBusName: string; Time?: number };
type Decide = (entry: Entry, call: number) => string | undefined;

const event = (id: string, payload: unknown = { text: id }): SinkEvent => ({
  id,
  linkId: 'rtm:A1:T1',
  protocol: 'rtm',
  appId: 'A1',
  teamId: 'T1',
  kind: 'message',
  payload,
  receivedAt: 1_700_000_000_123,
});
const ids = (count: number, prefix = 'E'): SinkEvent[] => Array.from({ length: count }, (_, i) => event(`${prefix}${i}`));
const idOf = (entry: Entry): string => (JSON.parse(entry.Detail) as SinkEvent).id;

describe('EventBridgeSink', () => {
  let server: AwsJsonServer;
  let client: EventBridgeClient;
  let decide: Decide = () => undefined;
  let failCall: ((call: number) => AwsJsonReply | undefined) | undefined;
  let calls = 0;

  beforeAll(async () => {
    server = await startAwsJsonServer(({ operation, body }) => {
      if (operation !== 'PutEvents') return awsError(400, 'UnknownOperationException', operation);
      const call = ++calls;
      const failure = failCall?.(call);
      if (failure) return failure;
      const entries = (body.Entries as Entry[]).map((entry) => {
        const code = decide(entry, call);
        return code ? { ErrorCode: code, ErrorMessage: code } : { EventId: `${call}-${idOf(entry)}` };
      });
      return { body: { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries } };
    });
    client = new EventBridgeClient({ ...localAwsConfig(server.endpoint), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });
  beforeEach(() => {
    server.requests.length = 0;
    decide = () => undefined;
    failCall = undefined;
    calls = 0;
  });

  const sink = (options: Partial<EventBridgeSinkOptions> = {}) =>
    new EventBridgeSink({ client, eventBusName: 'slack-events', sleep: async () => undefined, ...options });
  const sentEntries = (): Entry[][] => server.requests.map((request) => request.body.Entries as Entry[]);

  it('puts each event on the bus with source, kind as detail type, the event as detail, and its time', async () => {
    const one = event('E1', { type: 'message', text: 'héllo' });
    await sink().putAll([one]);
    expect(server.requests[0]?.target).toBe('AWSEvents.PutEvents');
    expect(server.requests[0]?.contentType).toBe('application/x-amz-json-1.1');
    const [entry] = sentEntries()[0] ?? [];
    expect(entry).toMatchObject({ Source: 'lifeline.slack', DetailType: 'message', EventBusName: 'slack-events' });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual(one);
    expect(entry?.Time).toBe(one.receivedAt / 1000);
  });

  it('sends at most 10 entries per request, in order', async () => {
    await sink().putAll(ids(25));
    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 5]);
    expect(sentEntries().flat().map(idOf)).toEqual(ids(25).map((e) => e.id));
  });

  it('keeps each request within 256 KB', async () => {
    const big = Array.from({ length: 5 }, (_, i) => event(`B${i}`, { blob: 'x'.repeat(100_000) }));
    await sink().putAll(big);
    expect(sentEntries().map((entries) => entries.length)).toEqual([2, 2, 1]);
    for (const request of server.requests) expect(JSON.stringify(request.body).length).toBeLessThan(256 * 1024);
  });

  it('sends again only the entries EventBridge refused, and resolves once all are accepted', async () => {
    decide = (entry, call) => (call === 1 && ['E1', 'E3'].includes(idOf(entry)) ? 'ThrottlingException' : undefined);
    await sink().putAll(ids(5));
    expect(sentEntries().map((entries) => entries.map(idOf))).toEqual([['E0', 'E1', 'E2', 'E3', 'E4'], ['E1', 'E3']]);
  });

  it('gives up after maxAttempts rounds with a SinkError naming exactly the refused events', async () => {
    const pauses: number[] = [];
    decide = (entry) => (idOf(entry) === 'E2' ? 'InternalFailure' : undefined);
    const error = await sink({ maxAttempts: 4, sleep: async (ms) => void pauses.push(ms) })
      .putAll(ids(4))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ failedIds: ['E2'] });
    expect((error as Error).message).toContain('InternalFailure');
    expect(sentEntries().map((entries) => entries.length)).toEqual([4, 1, 1, 1]);
    expect(pauses).toEqual([100, 200, 300]);
  });

  it('retries a whole request that failed, and names its events with the cause if it never succeeds', async () => {
    failCall = () => awsError(400, 'ResourceNotFoundException', 'Event bus slack-events does not exist.');
    const error = await sink({ maxAttempts: 2 }).putAll(ids(3)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SinkError', failedIds: ['E0', 'E1', 'E2'] });
    expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(server.requests).toHaveLength(2);
  });

  it('recovers when a failed request succeeds on the next round', async () => {
    failCall = (call) => (call === 1 ? awsError(400, 'ThrottlingException', 'Rate exceeded') : undefined);
    await sink().putAll(ids(3));
    expect(sentEntries().map((entries) => entries.map(idOf))).toEqual([['E0', 'E1', 'E2'], ['E0', 'E1', 'E2']]);
  });

  it('never sends an event too big for PutEvents, delivers the rest, and names it', async () => {
    const events = [event('ok1'), event('huge', { blob: 'x'.repeat(300_000) }), event('ok2')];
    const error = await sink().putAll(events).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SinkError', failedIds: ['huge'] });
    expect(sentEntries().flat().map(idOf)).toEqual(['ok1', 'ok2']);
  });

  it('answers each event of a batch on its own: the refused one refused, the rest accepted, no ack payload', async () => {
    const events = [event('ok1'), event('huge', { blob: 'x'.repeat(300_000) }), event('ok2')];
    const answers = await Promise.all(sink().deliver(events));
    expect(answers).toEqual([{ ok: true }, { ok: false, reason: expect.stringContaining('EntryTooLarge') as unknown }, { ok: true }]);
  });

  it('uses the configured source', async () => {
    await sink({ source: 'lifeline.test' }).putAll([event('E1')]);
    expect(sentEntries()[0]?.[0]?.Source).toBe('lifeline.test');
  });

  it('sends nothing for an empty batch', async () => {
    await sink().putAll([]);
    expect(server.requests).toHaveLength(0);
  });
});
