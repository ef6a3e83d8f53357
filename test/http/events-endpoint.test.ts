import { createHmac } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/http/handler';
import type { InstallationStore } from '../../shared/ports';
import { InstallWorld, waitFor } from './support/install-world';

// POST /slack/events, Lambda style (the parking runs before the answer): signature and replay
// window, url_verification, the two lifecycle events, Slack's retries, and everything refused
// leaving the table exactly as it was.

const sign = (secret: string, ts: number, body: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

describe('Events endpoint', () => {
  let world: InstallWorld;
  let seq = 0;

  beforeAll(async () => {
    world = await InstallWorld.start({ embeddedAnswer: false });
  });

  afterAll(async () => {
    await world?.stop();
  });

  const uninstallBody = (teamId: string, type = 'app_uninstalled', extra: Record<string, unknown> = {}) => ({
    token: world.app.verificationToken,
    team_id: teamId,
    api_app_id: world.app.appId,
    event: type === 'tokens_revoked' ? { type, tokens: { oauth: [], bot: ['U0BOT'] } } : { type },
    type: 'event_callback',
    event_id: `Ev0TEST${++seq}`,
    event_time: Math.floor(Date.now() / 1000),
    ...extra,
  });

  const post = async (body: string, options: { ts?: number; signature?: string; headers?: Record<string, string> } = {}) => {
    const ts = options.ts ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${world.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': options.signature ?? sign(world.app.signingSecret, ts, body),
        ...options.headers,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  /** The world's installation store, with `park` replaced (a flaky or slow store). */
  const storeParking = (park: InstallationStore['park']): InstallationStore => ({
    get: (key) => world.installations.get(key),
    save: (record, expected) => world.installations.save(record, expected),
    park,
  });

  /** Calls a handler built from `deps` directly, with a signed uninstall for the team (the same event each call: a retry). */
  const uninstallThrough = (deps: Partial<Parameters<typeof makeHandler>[0]>, teamId: string) => {
    const handler = makeHandler({ ...world.deps, ...deps });
    const body = JSON.stringify(uninstallBody(teamId));
    const ts = Math.floor(Date.now() / 1000);
    return () => handler({
      method: 'POST', path: '/slack/events', query: new URLSearchParams(), body,
      headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(world.app.signingSecret, ts, body) },
    });
  };

  /** Every item in the table, as DynamoDB holds it. */
  const snapshotTable = async (): Promise<string> => {
    const out = await world.client.send(new ScanCommand({ TableName: world.tableName, ConsistentRead: true }));
    return JSON.stringify((out.Items ?? []).map((i) => JSON.stringify(i)).sort());
  };

  const installed = async (teamId: string) => {
    const visit = await world.install(teamId);
    expect(visit.body).toContain('Installed');
    return world.linkId(teamId);
  };

  it('answers url_verification with the challenge (the simulator verifies the URL)', async () => {
    const out = await world.sim.verifyEventsUrl(world.app.appId, `${world.baseUrl}/slack/events`);
    expect(out.ok).toBe(true);
  });

  it('parks the installation and revokes its link on a signed app_uninstalled', async () => {
    const linkId = await installed('T0EVENTS01');

    const answer = await post(JSON.stringify(uninstallBody('T0EVENTS01')));

    expect(answer.status).toBe(200);
    expect(await world.installation('T0EVENTS01')).toMatchObject({ active: false, parkedReason: 'app_uninstalled' });
    expect(await world.links.get(linkId)).toMatchObject({ state: 'revoked', lastError: 'app_uninstalled' });
  });

  it('parks on tokens_revoked with bot tokens, and ignores one that lists only user tokens', async () => {
    await installed('T0EVENTS02');
    const usersOnly = uninstallBody('T0EVENTS02', 'tokens_revoked');
    (usersOnly.event as { tokens: unknown }).tokens = { oauth: ['U0USER'], bot: [] };
    expect((await post(JSON.stringify(usersOnly))).status).toBe(200);
    expect(await world.installation('T0EVENTS02')).toMatchObject({ active: true });

    expect((await post(JSON.stringify(uninstallBody('T0EVENTS02', 'tokens_revoked')))).status).toBe(200);
    expect(await world.installation('T0EVENTS02')).toMatchObject({ active: false, parkedReason: 'tokens_revoked' });
  });

  it('treats Slack retries of the same event as one', async () => {
    const linkId = await installed('T0EVENTS03');
    const body = JSON.stringify(uninstallBody('T0EVENTS03'));
    expect((await post(body)).status).toBe(200);
    const afterFirst = await snapshotTable();

    const retried = await post(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });

    expect(retried.status).toBe(200);
    expect(await snapshotTable()).toBe(afterFirst);
    expect((await world.links.get(linkId))?.state).toBe('revoked');
  });

  it('does not park a newer install with a late uninstall event', async () => {
    await installed('T0EVENTS04');
    const late = uninstallBody('T0EVENTS04', 'app_uninstalled', { event_time: Math.floor(Date.now() / 1000) - 120 });
    expect((await post(JSON.stringify(late))).status).toBe(200);
    expect(await world.installation('T0EVENTS04')).toMatchObject({ active: true });
  });

  describe('refusals leave the table as it was', () => {
    const teamId = 'T0EVENTS05';
    let body: string;
    let before: string;

    beforeAll(async () => {
      await installed(teamId);
      body = JSON.stringify(uninstallBody(teamId));
    });

    const expectUnchanged = async () => expect(await snapshotTable()).toBe(before);

    it('a bad signature: 401', async () => {
      before = await snapshotTable();
      const forged = sign('not-the-signing-secret-at-all', Math.floor(Date.now() / 1000), body);
      expect((await post(body, { signature: forged })).status).toBe(401);
      await expectUnchanged();
    });

    it('a body changed after signing: 401', async () => {
      before = await snapshotTable();
      const ts = Math.floor(Date.now() / 1000);
      const signature = sign(world.app.signingSecret, ts, body);
      expect((await post(body.replace(teamId, 'T0EVENTS01'), { ts, signature })).status).toBe(401);
      await expectUnchanged();
    });

    it('no signature headers: 401', async () => {
      before = await snapshotTable();
      const res = await fetch(`${world.baseUrl}/slack/events`, { method: 'POST', body });
      expect(res.status).toBe(401);
      await expectUnchanged();
    });

    it('a timestamp older than 5 minutes, or as far ahead: 401', async () => {
      before = await snapshotTable();
      expect((await post(body, { ts: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
      expect((await post(body, { ts: Math.floor(Date.now() / 1000) + 301 })).status).toBe(401);
      await expectUnchanged();
    });

    it('malformed JSON (signed): 400', async () => {
      before = await snapshotTable();
      expect((await post('{"type":"event_callback",')).status).toBe(400);
      expect((await post('[1,2]')).status).toBe(400);
      await expectUnchanged();
    });

    it('an event for an unknown team: 200, and nothing stored', async () => {
      before = await snapshotTable();
      expect((await post(JSON.stringify(uninstallBody('T0NOBODY01')))).status).toBe(200);
      await expectUnchanged();
      expect(world.logs.some((l) => l.includes('unknown installation') && l.includes('T0NOBODY01'))).toBe(true);
    });

    it('an event of another app: 200, and nothing changed', async () => {
      before = await snapshotTable();
      const foreign = uninstallBody(teamId, 'app_uninstalled', { api_app_id: 'A0SOMEONE' });
      expect((await post(JSON.stringify(foreign))).status).toBe(200);
      await expectUnchanged();
    });

    it('a GET: 405', async () => {
      before = await snapshotTable();
      expect((await fetch(`${world.baseUrl}/slack/events`)).status).toBe(405);
      await expectUnchanged();
    });
  });

  it('inline, a failed park answers 500 and the retry goes through (the claim is released)', async () => {
    const linkId = await installed('T0EVENTS06');
    let failures = 1;
    const request = uninstallThrough({
      installations: storeParking(async (request) => {
        if (failures-- > 0) throw new Error('DynamoDB is having a moment');
        return world.installations.park(request);
      }),
    }, 'T0EVENTS06');

    expect((await request()).status).toBe(500);
    expect(await world.installation('T0EVENTS06')).toMatchObject({ active: true });
    expect((await request()).status).toBe(200);
    expect(await world.installation('T0EVENTS06')).toMatchObject({ active: false });
    expect((await world.links.get(linkId))?.state).toBe('revoked');
  });

  it('embedded, work slower than its budget answers 200 first and still parks after', async () => {
    await installed('T0EVENTS07');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const request = uninstallThrough({
      installations: storeParking(async (request) => {
        await gate;
        return world.installations.park(request);
      }),
      answerWithinMs: 50,
    }, 'T0EVENTS07');

    expect((await request()).status).toBe(200);
    expect(await world.installation('T0EVENTS07')).toMatchObject({ active: true });
    release();
    await waitFor(async () => (await world.installation('T0EVENTS07'))?.active === false, 5_000, () => 'the late park');
  });

  it('embedded, work that fails within its budget answers 500, so Slack retries', async () => {
    await installed('T0EVENTS08');
    let failures = 1;
    const request = uninstallThrough({
      installations: storeParking(async (request) => {
        if (failures-- > 0) throw new Error('store unavailable');
        return world.installations.park(request);
      }),
      answerWithinMs: 2_000,
    }, 'T0EVENTS08');

    expect((await request()).status).toBe(500);
    expect(await world.installation('T0EVENTS08')).toMatchObject({ active: true });
    expect((await request()).status).toBe(200);
    expect(await world.installation('T0EVENTS08')).toMatchObject({ active: false });
  });
});
