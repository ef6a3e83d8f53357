import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { installLifelineRuntime, LifelineReceiver, resetLifelineRuntime, type BotAuthorizationQuery, type PayloadHandler } from '../../functions/bolt';
import { lifecycleSinkEvent, type LifecycleNotice } from '../../shared/app';
import type { SinkEvent } from '../../shared/ports';

// "Lifecycle to the bot", for a Bolt app: `app.event('lifeline_parked', ...)` hears Lifeline's
// notices, of an RTM workspace and of a Socket Mode one alike, even for a parked team (whose
// token authorize would refuse: the notice is about the installation, not a call to Slack).

function runtime() {
  const queries: BotAuthorizationQuery[] = [];
  let handler: PayloadHandler | undefined;
  installLifelineRuntime({
    slackApiUrl: 'http://127.0.0.1:9/api/',
    authorize: async (query) => {
      queries.push(query);
      throw new Error(`team ${query.teamId} is parked (app_uninstalled)`);
    },
    fetchInstallation: async () => {
      throw new Error('not used');
    },
    deleteInstallation: async () => ({ outcome: 'parked' }),
    serve: (next) => {
      handler = next;
      return () => (handler = undefined);
    },
  });
  return { queries, deliver: (event: SinkEvent) => handler!(event) };
}

const notice = (overrides: Partial<LifecycleNotice>): SinkEvent =>
  lifecycleSinkEvent({ kind: 'lifeline_parked', appId: 'A1', protocol: 'socket', installId: 'T1', reason: 'app_uninstalled', ...overrides }, 1_700_000_000_000);

describe('a Bolt app hears lifecycle notices', () => {
  afterEach(() => resetLifelineRuntime());

  it.each([
    ['lifeline_parked', 'socket', 'app_uninstalled'],
    ['lifeline_installed', 'rtm', 'installed'],
    ['lifeline_reactivated', 'socket', 'reinstalled'],
  ] as const)('app.event(%s) over %s, with the team and the reason, without asking for a token', async (kind, protocol, reason) => {
    const world = runtime();
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    const seen: unknown[] = [];
    app.event(kind, async ({ event, context, body }) => void seen.push({ event, teamId: context.teamId, eventId: (body as { event_id?: string }).event_id }));
    await app.start();

    const sent = notice({ kind, protocol, reason });
    expect(await world.deliver(sent)).toEqual({});

    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual({
      event: expect.objectContaining({ type: kind, app_id: 'A1', team_id: 'T1', reason }),
      teamId: 'T1',
      eventId: sent.id,
    });
    expect(world.queries).toEqual([]);
  });

  it('a Slack event of a parked team still asks authorize (and is refused there): only notices skip it', async () => {
    const world = runtime();
    const receiver = new LifelineReceiver({ onError: () => undefined });
    const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
    const seen: unknown[] = [];
    app.event('app_mention', async ({ event }) => void seen.push(event));
    await app.start();
    const mention: SinkEvent = {
      id: 'A1:Ev1', linkId: 'sm:A1:0', protocol: 'socket', appId: 'A1', teamId: 'T1', kind: 'events_api', receivedAt: 1, envelopeId: 'E1',
      payload: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi', user: 'U1', channel: 'C1', ts: '1.1' } },
    };

    await world.deliver(mention).catch(() => undefined);

    expect(world.queries).toEqual([expect.objectContaining({ teamId: 'T1' })]);
    expect(seen).toEqual([]);
  });
});
