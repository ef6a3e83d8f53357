import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { BotAuthorizationQuery } from '../../shared/ports/bot-authorizer';
import type { LifelineRuntime } from './runtime';

const queryOf = (query: InstallationQuery<boolean>): BotAuthorizationQuery => ({
  isEnterpriseInstall: query.isEnterpriseInstall === true,
  ...(query.teamId ? { teamId: query.teamId } : {}),
  ...(query.enterpriseId ? { enterpriseId: query.enterpriseId } : {}),
});

/**
 * Bolt's `InstallationStore` over Lifeline's installations, for apps that want one: reads give
 * the current bot token; a delete parks the installation (and revokes its link), as an uninstall
 * does; a store is refused, because installs come through Lifeline's "Add to Slack", which seals
 * the token and starts the link.
 */
export function lifelineInstallationStore(runtime: () => LifelineRuntime): InstallationStore {
  return {
    storeInstallation: async () => {
      throw new Error("Lifeline owns installs: they come through Lifeline's Add to Slack (/slack/install), which stores the token sealed and connects the workspace. Do not store installations from the app.");
    },
    fetchInstallation: async (query) => {
      const found = await runtime().fetchInstallation(queryOf(query));
      const installation: Installation<'v2', false> = {
        team: { id: found.teamId, ...(found.teamName ? { name: found.teamName } : {}) },
        enterprise: undefined,
        user: { token: undefined, scopes: undefined, id: '' },
        bot: { token: found.botToken, userId: found.botUserId, id: found.botId ?? '', scopes: found.scopes },
        appId: found.appId,
        tokenType: 'bot',
        isEnterpriseInstall: false,
        authVersion: 'v2',
      };
      return installation;
    },
    deleteInstallation: async (query) => {
      await runtime().deleteInstallation(queryOf(query));
    },
  };
}
