import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSimulator, type AppHandle, type SlackSimulator } from '../../shared/slack-simulator';
import { Browser } from '../http/support/browser';
import { registerSecrets } from '../support/log-capture';
import { NpmStart } from './support/npm-start';

// Issue 15, "Parked app links come back", as a person meets it with `npm start` against Slack (the
// simulator, run by the test as real Slack): a mistyped app token parks the pool; restarting with
// the right one opens it; Socket Mode switched off (link_disabled) parks it, and switching it back
// on and reinstalling opens it again. The banner says what is connected; the bot hears each change.

const BAD_TOKEN = 'xapp-1-A0MISTYPED-000000000000-0000000000000000000000000000000000000000000000000000000000000000';

interface Heard {
  kind: string;
  payload: { app_id: string; team_id?: string; reason: string; link_ids: string[] };
}

describe('npm start: a Socket Mode app parked for its app token or link_disabled comes back', { timeout: 180_000 }, () => {
  let sim: SlackSimulator;
  let app: AppHandle;
  let dataDir: string;
  let record: string;
  let run: NpmStart | undefined;

  beforeAll(async () => {
    sim = await startSlackSimulator({ rateLimits: false });
    app = sim.addApp({ socketMode: true });
    registerSecrets(app.appToken, app.clientSecret, app.signingSecret, app.verificationToken, BAD_TOKEN);
    dataDir = mkdtempSync(join(tmpdir(), 'lifeline-parked-app-'));
    record = join(dataDir, 'heard.jsonl');
  });

  afterAll(async () => {
    run?.kill();
    await sim?.close();
  });

  const env = (appToken: string): Record<string, string> => ({
    LIFELINE_DATA_DIR: dataDir,
    SLACK_APP_ID: app.appId,
    SLACK_CLIENT_ID: app.clientId,
    SLACK_CLIENT_SECRET: app.clientSecret,
    SLACK_SIGNING_SECRET: app.signingSecret,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: sim.apiUrl,
    SLACK_AUTHORIZE_URL: `${sim.url}/oauth/v2/authorize`,
    LIFELINE_APP_PROTOCOL: 'socket',
    LIFELINE_WORKERS: '1',
    LIFELINE_SM_SLOTS: '2',
    LIFELINE_HANDLER: resolve('test/embedded/fixtures/lifecycle-recorder.mjs'),
    LIFECYCLE_RECORD: record,
  });
  const heard = (): Heard[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Heard).filter((h) => h.kind.startsWith('lifeline_')) : []);
  const summary = async (): Promise<string> => ((await run!.status()) as unknown as { summary?: string } | undefined)?.summary ?? '';

  it('a bad app token parks both pool links, and the banner says so instead of "Connected"', async () => {
    run = await NpmStart.start(env(BAD_TOKEN));

    await run.waitFor(async () => (await run!.status())?.links.revoked === 2, 60_000, 'both pool links parked');
    expect((await run.links()).map((l) => l.state)).toEqual(['revoked', 'revoked']);
    expect(sim.truth.openNow(app.appId)).toBe(0);
    expect(await summary()).toMatch(/^Not connected: Slack app \w+: 0 of 2 Socket Mode sockets open; 2 parked \(invalid_auth\)/);
    await run.waitFor(async () => heard().length === 2, 15_000, 'the bot told of both parks');
    expect(heard().map((h) => [h.kind, h.payload.reason, h.payload.link_ids.length, h.payload.team_id])).toEqual([
      ['lifeline_parked', 'invalid_auth', 1, undefined],
      ['lifeline_parked', 'invalid_auth', 1, undefined],
    ]);
    await run.interrupt();
    run = undefined;
  });

  it('restarted with the right app token, the parked pool opens, the banner says Connected and the bot hears lifeline_reactivated', async () => {
    if (run) {
      // The first test failed with its run still up: one npm start at a time on this data dir.
      run.kill();
      await run.exited;
    }
    run = await NpmStart.start(env(app.appToken));

    await run.waitFor(async () => (await run!.status())?.links.open === 2, 60_000, 'both pool links open');
    expect(sim.truth.openNow(app.appId)).toBe(2);
    await run.waitFor(async () => (await summary()).startsWith('Connected to Slack'), 10_000, 'the banner to say Connected');
    expect(await summary()).toContain('2 of 2 Socket Mode sockets open');
    expect(heard().slice(2)).toEqual([
      { kind: 'lifeline_reactivated', payload: expect.objectContaining({ app_id: app.appId, reason: 'app_token_changed', link_ids: [`sm:${app.appId}:0`, `sm:${app.appId}:1`] }) },
    ]);
    // The data dir keeps a fingerprint of the token, never the token.
    const fingerprints = readFileSync(join(dataDir, 'app-tokens.json'), 'utf8');
    expect(fingerprints).toContain(app.appId);
    expect(fingerprints).not.toContain(app.appToken);
  });

  it('Socket Mode switched off parks the pool (link_disabled); on again and reinstalled, it opens', async () => {
    sim.faults.disableSocketMode(app.appId);
    const opensBefore = sim.truth.calls('apps.connections.open', app.appId).length;
    await run!.waitFor(async () => (await run!.status())?.links.inactive === 2, 30_000, 'both pool links parked by link_disabled');
    // The store says parked first; the runner closes its socket right after the write lands, so
    // the simulator sees the close a moment later.
    await run!.waitFor(async () => sim.truth.openNow(app.appId) === 0, 5_000, 'both pool sockets closed');
    expect(sim.truth.calls('apps.connections.open', app.appId)).toHaveLength(opensBefore);
    expect(await summary()).toContain('parked (link_disabled)');

    sim.faults.enableSocketMode(app.appId);
    const visit = await new Browser().visit(`${run!.slackUrl}/slack/install?team=T0REINSTAL`);

    expect(visit.status).toBe(200);
    await run!.waitFor(async () => (await run!.status())?.links.open === 2, 30_000, 'both pool links open again');
    expect(sim.truth.openNow(app.appId)).toBe(2);
    const kinds = heard().slice(3).map((h) => `${h.kind}:${h.payload.reason}`);
    expect(kinds).toEqual(['lifeline_parked:link_disabled', 'lifeline_parked:link_disabled', 'lifeline_installed:installed', 'lifeline_reactivated:reinstalled']);
  });
});
