import { BotAuthorizationError, type BotAuthorization, type BotAuthorizationQuery, type BotAuthorizer, type BotInstallation, type Credentials, type InstallationRecord, type InstallationStore, type SlackApi } from '../ports';
import { rtmLinkId } from './link-id';

export interface InstallationBotAuthorizerDeps {
  installations: InstallationStore;
  /** Opens the bot token, refreshing a rotating one first (`InstallationCredentials`). */
  credentials: Credentials;
  slack: Pick<SlackApi, 'authTest'>;
  /**
   * The apps this Lifeline serves, tried in order when a query names no app (Bolt's
   * `InstallationQuery` carries none); a payload's `api_app_id` always wins.
   */
  appIds?: readonly string[];
  /** Parks an installation and revokes its link (`parkInstallation` with the caller's ports); without it, deletes are refused. */
  park?: (appId: string, teamId: string) => Promise<{ outcome: string }>;
}

/**
 * Bolt's `authorize` over Lifeline's installations: the current bot token of the payload's team
 * (rotated if due: the same path an RTM link's connect takes), its bot user id, and its bot id
 * (from `auth.test`, once per token version). Org-wide installs are not served yet: Lifeline
 * keys installations by team for the bot path, and says so rather than guessing.
 */
export class InstallationBotAuthorizer implements BotAuthorizer {
  private readonly botIds = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: InstallationBotAuthorizerDeps) {}

  async authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    return (await this.open(query)).authorization;
  }

  async fetchInstallation(query: BotAuthorizationQuery): Promise<BotInstallation> {
    const { record, authorization } = await this.open(query);
    return {
      appId: record.appId, teamId: authorization.teamId, ...(record.teamName ? { teamName: record.teamName } : {}),
      botToken: authorization.botToken, botUserId: authorization.botUserId, ...(authorization.botId ? { botId: authorization.botId } : {}),
      scopes: record.scopes, tokenVersion: authorization.tokenVersion, installedAt: record.installedAt,
    };
  }

  async deleteInstallation(query: BotAuthorizationQuery): Promise<{ outcome: string }> {
    if (!this.deps.park) throw new BotAuthorizationError('deleting installations is not offered here');
    const { appId, teamId } = await this.find(query);
    return this.deps.park(appId, teamId);
  }

  /** The installation a query names: its app's, or the first of the served apps installed in that team. */
  private async find(query: BotAuthorizationQuery): Promise<{ appId: string; teamId: string; record: InstallationRecord | undefined }> {
    if (query.isEnterpriseInstall) {
      throw new BotAuthorizationError(`org-wide installs are not supported by Lifeline's authorize yet (enterprise ${query.enterpriseId ?? 'unknown'})`);
    }
    const { appId, teamId } = query;
    if (!teamId) throw new BotAuthorizationError('the payload names no team: Lifeline authorizes per workspace');
    if (appId) return { appId, teamId, record: await this.deps.installations.get({ appId, installId: teamId }) };
    const candidates = this.deps.appIds ?? [];
    if (candidates.length === 0) throw new BotAuthorizationError(`the payload names no app (api_app_id) for team ${teamId}`);
    for (const candidate of candidates) {
      const record = await this.deps.installations.get({ appId: candidate, installId: teamId });
      if (record) return { appId: candidate, teamId, record };
    }
    throw new BotAuthorizationError(`none of this Lifeline's apps (${candidates.join(', ')}) is installed in team ${teamId}`);
  }

  private async open(query: BotAuthorizationQuery): Promise<{ record: InstallationRecord; authorization: BotAuthorization }> {
    const { appId, teamId, record } = await this.find(query);
    if (!record) throw new BotAuthorizationError(`app ${appId} is not installed in team ${teamId}`);
    if (!record.active) {
      throw new BotAuthorizationError(`team ${teamId} is parked (${record.parkedReason ?? 'inactive'}): Lifeline holds no usable token for app ${appId} there until it is reinstalled`);
    }
    // The installation's bot token, through the one place tokens are opened (and rotated).
    const { token, tokenVersion } = await this.deps.credentials.forLink({ id: rtmLinkId(appId, teamId), protocol: 'rtm', appId, teamId }).catch((error: unknown) => {
      throw new BotAuthorizationError(`no bot token for app ${appId} in team ${teamId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const botId = await this.botIdOf(`${appId}:${teamId}:${tokenVersion}`, token);
    return { record, authorization: { botToken: token, botUserId: record.botUserId, teamId, tokenVersion, ...(botId ? { botId } : {}) } };
  }

  private botIdOf(key: string, token: string): Promise<string | undefined> {
    let pending = this.botIds.get(key);
    if (!pending) {
      pending = this.deps.slack.authTest(token).then((r) => r.botId, () => {
        this.botIds.delete(key);
        return undefined;
      });
      this.botIds.set(key, pending);
    }
    return pending;
  }
}
