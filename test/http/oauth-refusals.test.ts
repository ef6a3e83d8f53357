import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueState, STATE_COOKIE } from '../../functions/http/oauth-state';
import { Browser } from './support/browser';
import { InstallWorld } from './support/install-world';

// Every way a callback can be wrong, each answered with a friendly page, the state cookie
// cleared, and nothing stored: no installation, no link, no connect queued, no reactivation.

describe('OAuth callback refusals', () => {
  let world: InstallWorld;
  const teamId = 'T0REFUSED1';

  beforeAll(async () => {
    world = await InstallWorld.start();
  });

  afterAll(async () => {
    await world?.stop();
  });

  beforeEach(() => world.sim.setAuthorizeBehaviour({}));

  /** A fresh state from our own `/slack/install`, and the authorize URL it sends the browser to. */
  const startInstall = async (): Promise<{ state: string; cookie: string; authorize: URL }> => {
    const res = await fetch(`${world.baseUrl}/slack/install?team=${teamId}`, { redirect: 'manual' });
    const authorize = new URL(res.headers.get('location') ?? '');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    return { state: authorize.searchParams.get('state') ?? '', cookie: cookie.split(';')[0]?.split('=')[1] ?? '', authorize };
  };

  /** A real code from the simulator's authorize page for that state. */
  const codeFor = async (authorize: URL): Promise<string> => {
    const res = await fetch(authorize, { redirect: 'manual' });
    return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
  };

  const callback = async (query: Record<string, string>, cookie?: string) => {
    const res = await fetch(`${world.baseUrl}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
      redirect: 'manual',
      headers: cookie === undefined ? {} : { cookie: `${STATE_COOKIE}=${cookie}` },
    });
    return { status: res.status, body: await res.text(), setCookie: res.headers.getSetCookie().join('\n'), csp: res.headers.get('content-security-policy') };
  };

  const expectNothingStored = async () => {
    expect(await world.installation(teamId)).toBeUndefined();
    expect(await world.links.get(world.linkId(teamId))).toBeUndefined();
    expect(world.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
    expect(world.reactivations).toEqual([]);
  };

  const expectRefusalPage = (answer: Awaited<ReturnType<typeof callback>>, status: number, title: string) => {
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(title);
    expect(answer.body).toContain('href="/slack/install"');
    expect(answer.setCookie).toMatch(new RegExp(`^${STATE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax$`));
    expect(answer.csp).toContain("default-src 'none'");
  };

  it('refuses a callback without state in the query', async () => {
    const { cookie, authorize } = await startInstall();
    const answer = await callback({ code: await codeFor(authorize) }, cookie);
    expectRefusalPage(answer, 400, 'This link cannot be used');
    await expectNothingStored();
  });

  it('refuses a callback without the state cookie (another browser)', async () => {
    const { state, authorize } = await startInstall();
    const answer = await callback({ code: await codeFor(authorize), state });
    expectRefusalPage(answer, 400, 'This link cannot be used');
    await expectNothingStored();
  });

  it('refuses a state that does not match the cookie', async () => {
    const first = await startInstall();
    const second = await startInstall();
    const answer = await callback({ code: await codeFor(second.authorize), state: second.state }, first.cookie);
    expectRefusalPage(answer, 400, 'This link cannot be used');
    await expectNothingStored();
  });

  it('refuses a tampered state (expiry pushed out, signature kept)', async () => {
    const { state, authorize } = await startInstall();
    const [id, expires, signature] = state.split('.') as [string, string, string];
    const forged = `${id}.${Number(expires) + 86_400}.${signature}`;
    const answer = await callback({ code: await codeFor(authorize), state: forged }, forged);
    expectRefusalPage(answer, 400, 'This link cannot be used');
    await expectNothingStored();
  });

  it('refuses a state signed with another key', async () => {
    const { authorize } = await startInstall();
    const foreign = issueState('a'.repeat(64), Date.now());
    const answer = await callback({ code: await codeFor(authorize), state: foreign }, foreign);
    expectRefusalPage(answer, 400, 'This link cannot be used');
    await expectNothingStored();
  });

  it('refuses an expired state (older than 10 minutes)', async () => {
    const { authorize } = await startInstall();
    const old = issueState(world.config.stateSecret, Date.now() - 10 * 60_000 - 1_000);
    const answer = await callback({ code: await codeFor(authorize), state: old }, old);
    expectRefusalPage(answer, 400, 'This link has expired');
    await expectNothingStored();
  });

  it('shows a cancelled page when the user denies access', async () => {
    world.sim.setAuthorizeBehaviour({ deny: true });
    const visit = await world.install(teamId, new Browser());
    expect(visit.status).toBe(200);
    expect(visit.body).toContain('Installation cancelled');
    expect(new URL(visit.url).searchParams.get('error')).toBe('access_denied');
    await expectNothingStored();
  });

  it('refuses a code Slack does not accept (invalid_code)', async () => {
    const { state, cookie } = await startInstall();
    const answer = await callback({ code: '123456789012.1234567890123.not-a-real-code', state }, cookie);
    expectRefusalPage(answer, 400, 'Slack did not accept this link');
    await expectNothingStored();
  });

  it('refuses a state used once already, and the replay changes nothing', async () => {
    const browser = new Browser();
    const visit = await world.install(teamId, browser);
    expect(visit.body).toContain('Installed');
    const stored = await world.installation(teamId);
    const link = await world.links.get(world.linkId(teamId));
    const replayed = new URL(visit.url);
    const state = replayed.searchParams.get('state') ?? '';

    const answer = await callback(Object.fromEntries(replayed.searchParams), state);

    expectRefusalPage(answer, 400, 'This link cannot be used');
    expect(await world.installation(teamId)).toEqual(stored);
    expect((await world.links.get(world.linkId(teamId)))?.version).toBe(link?.version);
    expect(world.queue.stats().visible).toBe(1); // the first install's connect, and only that
  });
});
