import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailTypeOf, EventBridgeSink } from '../../shared/adapters/eventbridge';
import { lifecycleSinkEvent } from '../../shared/app';
import type { SinkEvent } from '../../shared/ports';
import { localAwsConfig, startAwsJsonServer, type AwsJsonServer } from '../support/aws-json-server';

// Lifecycle notices on the bus: `lifeline.installed` / `lifeline.parked` / `lifeline.reactivated`
// as detail types (what a rule matches), the notice as the detail, through the real SDK client.

type Entry = { DetailType: string; Detail: string };

describe('EventBridgeSink, lifecycle notices', () => {
  let server: AwsJsonServer;
  let client: EventBridgeClient;

  beforeAll(async () => {
    server = await startAwsJsonServer(({ body }) => {
      const entries = (body.Entries as Entry[]).map((_, i) => ({ EventId: `e${i}` }));
      return { body: { FailedEntryCount: 0, Entries: entries } };
    });
    client = new EventBridgeClient({ ...localAwsConfig(server.endpoint), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it('puts each notice with its dotted detail type and the notice as detail; Slack kinds keep theirs', async () => {
    const at = 1_700_000_000_000;
    const notices = (['lifeline_installed', 'lifeline_parked', 'lifeline_reactivated'] as const).map((kind) =>
      lifecycleSinkEvent({ kind, appId: 'A1', protocol: 'rtm', installId: 'T1', reason: 'app_uninstalled', tokenVersion: 2 }, at));
    const slack: SinkEvent = { id: 'A1:Ev1', linkId: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1', kind: 'message', payload: {}, receivedAt: at };

    const answers = await Promise.all(new EventBridgeSink({ client, eventBusName: 'bus' }).deliver([...notices, slack]));

    expect(answers.every((a) => a.ok)).toBe(true);
    const entries = server.requests.flatMap((r) => r.body.Entries as Entry[]);
    expect(entries.map((e) => e.DetailType)).toEqual(['lifeline.installed', 'lifeline.parked', 'lifeline.reactivated', 'message']);
    expect(JSON.parse(entries[1]!.Detail)).toEqual({
      id: `A1:lifeline_parked:T1:${at}`, linkId: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1', kind: 'lifeline_parked', receivedAt: at,
      payload: { type: 'lifeline_parked', app_id: 'A1', team_id: 'T1', reason: 'app_uninstalled', link_ids: ['rtm:A1:T1'], token_version: 2, event_ts: '1700000000.000' },
    });
  });

  it.each([
    ['lifeline_parked', 'lifeline.parked'],
    ['events_api', 'events_api'],
    ['message', 'message'],
    ['lifeline_', 'lifeline_'],
    ['lifeline_parked_x', 'lifeline_parked_x'],
  ])('detail type of %s is %s', (kind, expected) => {
    expect(detailTypeOf(kind)).toBe(expected);
  });
});
