import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../shared/adapters/slack';
import { InstallationCredentials, parseLinkId, refreshTokenContext } from '../../shared/app';
import { classifySlackError } from '../../shared/domain';
import { NoCredentialError, SlackApiError, type SlackOAuthApi } from '../../shared/ports';
import { InstallWorld } from '../http/support/install-world';

// Tokens for links come from the installation store: opened on demand, and for rotating tokens
// renewed against the simulator's oauth.v2.access once less than 2 h remain.

const HOUR = 3_600_000;

describe('InstallationCredentials', () => {
  let world: InstallWorld;
  const teamId = 'T0ROTATE01';

  beforeAll(async () => {
    world = await InstallWorld.start({ tokenRotation: true });
    const visit = await world.install(teamId);
    expect(visit.body).toContain('Installed');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const credentialsAt = (now: () => number, slack: SlackOAuthApi = new HttpSlackApi({ apiUrl: world.sim.apiUrl })) =>
    new InstallationCredentials({
      installations: world.installations,
      cipher: world.cipher,
      slack,
      apps: new Map([[world.app.appId, { client: { clientId: world.app.clientId, clientSecret: world.app.clientSecret }, appToken: world.app.appToken }]]),
      clock: { now },
      log: world.log,
    });

  const counting = () => {
    const api = new HttpSlackApi({ apiUrl: world.sim.apiUrl });
    const calls: string[] = [];
    const slack: SlackOAuthApi = { oauthV2Access: (client, grant) => (calls.push(grant.grantType), api.oauthV2Access(client, grant)) };
    return { slack, calls };
  };

  it('stores a rotating install with its sealed refresh token and 12 h expiry', async () => {
    const stored = await world.installation(teamId);
    expect(stored?.refreshTokenCiphertext).toMatch(/^lk1\./);
    expect(stored?.tokenExpiresAt).toBeGreaterThan(Date.now() + 11.9 * HOUR);
    expect(await world.rawInstallationItem(teamId)).not.toMatch(/xox/);
  });

  it('hands out the stored token as is while more than 2 h remain', async () => {
    const { slack, calls } = counting();
    const credential = await credentialsAt(() => Date.now() + 9 * HOUR, slack).forLink(parseLinkId(world.linkId(teamId)));
    expect(credential).toEqual({ token: world.liveBotToken(teamId), tokenVersion: 1 });
    expect(credential.token.startsWith('xoxe.xoxb-')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('refreshes once (even for concurrent callers) when less than 2 h remain, storing the rotated refresh token', async () => {
    const before = await world.installation(teamId);
    const oldRefresh = await world.cipher.decrypt(before!.refreshTokenCiphertext!, refreshTokenContext({ appId: world.app.appId, installId: teamId }));
    const { slack, calls } = counting();
    const credentials = credentialsAt(() => Date.now() + 10.5 * HOUR, slack);
    const link = parseLinkId(world.linkId(teamId));

    const [a, b] = await Promise.all([credentials.forLink(link), credentials.forLink(link)]);

    expect(calls).toEqual(['refresh_token']);
    expect(a).toEqual(b);
    expect(a.tokenVersion).toBe(2);
    expect(a.token).toBe(world.liveBotToken(teamId)); // Slack's current token for the install
    const after = await world.installation(teamId);
    expect(after).toMatchObject({ tokenVersion: 2, grantedAt: before!.grantedAt, active: true });
    const newRefresh = await world.cipher.decrypt(after!.refreshTokenCiphertext!, refreshTokenContext({ appId: world.app.appId, installId: teamId }));
    expect(newRefresh).not.toBe(oldRefresh);
    // The old refresh token died with its use: only the stored one can renew now.
    const reuse = await new HttpSlackApi({ apiUrl: world.sim.apiUrl })
      .oauthV2Access({ clientId: world.app.clientId, clientSecret: world.app.clientSecret }, { grantType: 'refresh_token', refreshToken: oldRefresh })
      .catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(SlackApiError);
    expect((reuse as SlackApiError).error).toBe('invalid_refresh_token');
  });

  it('a refused refresh fails the connect as invalid_refresh_token, which revokes', async () => {
    const refused: SlackOAuthApi = { oauthV2Access: async () => { throw new SlackApiError('oauth.v2.access', 'invalid_refresh_token'); } };
    const stored = await world.installation(teamId);
    const failure = await credentialsAt(() => stored!.tokenExpiresAt! - HOUR, refused).forLink(parseLinkId(world.linkId(teamId))).catch((e: unknown) => e);
    expect((failure as SlackApiError).error).toBe('invalid_refresh_token');
    expect(classifySlackError('invalid_refresh_token')).toBe('revoked');
  });

  it('a transient refresh failure keeps the current token while it is still valid', async () => {
    const down: SlackOAuthApi = { oauthV2Access: async () => { throw new SlackApiError('oauth.v2.access', 'ECONNREFUSED'); } };
    const stored = await world.installation(teamId);
    const credential = await credentialsAt(() => stored!.tokenExpiresAt! - HOUR, down).forLink(parseLinkId(world.linkId(teamId)));
    expect(credential.tokenVersion).toBe(stored!.tokenVersion);
  });

  it('no installation, or a parked one: NoCredentialError app_uninstalled', async () => {
    const credentials = credentialsAt(Date.now);
    const none = await credentials.forLink(parseLinkId(`rtm:${world.app.appId}:T0NOBODY01`)).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(NoCredentialError);
    expect((none as NoCredentialError).reason).toBe('app_uninstalled');

    await world.installations.park({ appId: world.app.appId, installId: teamId, reason: 'app_uninstalled', now: Date.now() });
    const parked = await credentials.forLink(parseLinkId(world.linkId(teamId))).catch((e: unknown) => e);
    expect((parked as NoCredentialError).reason).toBe('app_uninstalled');
  });

  it('Socket Mode slots get the configured app-level token; an app without one gets missing_args', async () => {
    const credentials = credentialsAt(Date.now);
    expect(await credentials.forLink(parseLinkId(`sm:${world.app.appId}:0`))).toEqual({ token: world.app.appToken, tokenVersion: 1 });
    const missing = await credentials.forLink(parseLinkId('sm:A0NOTOKEN:1')).catch((e: unknown) => e);
    expect((missing as NoCredentialError).reason).toBe('missing_args');
  });
});
