import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmbeddedConfig } from '../../functions/embedded/config';
import { Browser } from './support/browser';
import { InstallWorld } from './support/install-world';

// The edges of "Add to Slack" a newcomer meets first: a page opened on another loopback name than
// the redirect URI's, RTM with the default scopes, and a token that can never open the RTM socket.
const REAL_SLACK = { SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 's', SLACK_SIGNING_SECRET: 'g', SLACK_APP_TOKEN: 'xapp-1', SLACK_APP_ID: 'A0APP' };
const scopesOf = (env: Record<string, string>): string[] => {
  const config = readEmbeddedConfig({ ...REAL_SLACK, ...env }, '/tmp');
  if (config.slack.mode !== 'real') throw new Error('expected real Slack');
  return config.slack.app.scopes;
};

describe('default scopes follow the protocol', () => {
  it('RTM asks for the classic bot scope; Socket Mode for granular scopes; SLACK_SCOPES wins', () => {
    expect(scopesOf({ LIFELINE_APP_PROTOCOL: 'rtm' })).toEqual(['bot']);
    expect(scopesOf({ LIFELINE_APP_PROTOCOL: 'socket' })).toEqual(['app_mentions:read', 'chat:write']);
    expect(scopesOf({ LIFELINE_APP_PROTOCOL: 'rtm', SLACK_SCOPES: 'bot,commands' })).toEqual(['bot', 'commands']);
  });
});

describe('an RTM app (classic), with the token check the shipped compositions do', () => {
  let world: InstallWorld;
  beforeAll(async () => {
    world = await InstallWorld.start({ rtmCheck: true });
    // The embedded default configuration's scopes for LIFELINE_APP_PROTOCOL=rtm, nothing else set.
    world.config.scopes = scopesOf({ LIFELINE_APP_PROTOCOL: 'rtm' });
    await world.startWorker();
  });
  afterAll(async () => world?.stop());

  it('installs with the default configuration: Slack is asked for `bot`, the link opens', async () => {
    const teamId = 'T0DEFAULT1';
    const visit = await world.install(teamId);
    expect(visit.body).toContain('Installed');
    const authorize = new URL(visit.hops.find((hop) => new URL(hop).pathname === '/oauth/v2/authorize')!);
    expect(authorize.searchParams.get('scope')).toBe('bot');
    await world.waitForState(world.linkId(teamId), 'open');
  });

  it('an install started on localhost (the redirect URI says 127.0.0.1) moves to 127.0.0.1 first and completes', async () => {
    const teamId = 'T0LOOPBACK';
    const redirect = new URL(world.config.redirectUri);
    expect(redirect.hostname).toBe('127.0.0.1');
    const browser = new Browser();
    const visit = await browser.visit(`http://localhost:${redirect.port}/slack/install?team=${teamId}`, 6);
    expect(visit.hops.map((hop) => { const u = new URL(hop); return `${u.hostname}${u.pathname}`; })).toEqual([
      'localhost/slack/install',
      '127.0.0.1/slack/install',
      expect.stringMatching(/\/oauth\/v2\/authorize$/),
      '127.0.0.1/slack/oauth_redirect',
    ]);
    expect(new URL(visit.hops[1]!).searchParams.get('team')).toBe(teamId);
    expect(visit.status).toBe(200);
    expect(visit.body).toContain('Installed');
    // No state cookie was ever set for the host the callback does not return to.
    expect(browser.cookie(`localhost:${redirect.port}`, 'slack-app-oauth-state')).toBeUndefined();
    await world.waitForState(world.linkId(teamId), 'open');
  });
});

describe('an install whose token cannot open the RTM socket', () => {
  let world: InstallWorld;
  beforeAll(async () => {
    // A granular (Socket Mode era) app configured as RTM: Slack mints a token rtm.connect refuses.
    world = await InstallWorld.start({ classic: false, rtmCheck: true });
  });
  afterAll(async () => world?.stop());

  it('is refused on the spot with Slack\'s reason, and nothing is stored', async () => {
    const teamId = 'T0GRANULAR';
    const visit = await world.install(teamId);
    expect(visit.status).toBe(400);
    expect(visit.body).toContain('Lifeline cannot connect with this installation');
    expect(visit.body).toContain('<code>not_allowed_token_type</code>');
    expect(visit.body).not.toContain('Installed');
    expect(await world.installation(teamId)).toBeUndefined();
    expect(await world.links.get(world.linkId(teamId))).toBeUndefined();
  });
});
