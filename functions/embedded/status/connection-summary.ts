import type { LinkProtocol } from '../../../shared/domain';
import type { LinkRow } from './link-board';

/**
 * The banner of a real-Slack run, from the links as they are now: how many sockets are open of
 * how many, and, when some are parked, why and what brings them back. It used to say
 * "Connected to Slack" from the configuration alone, also with every socket parked.
 */
export function connectionSummary(app: { appId: string; protocol: LinkProtocol }, rows: readonly LinkRow[]): string {
  const prefix = `${app.protocol === 'socket' ? 'sm' : 'rtm'}:${app.appId}:`;
  const mine = rows.filter((row) => row.id.startsWith(prefix));
  const open = mine.filter((row) => row.state === 'open').length;
  const parked = mine.filter((row) => row.state === 'inactive' || row.state === 'revoked');
  const reasons = [...new Set(parked.map((row) => row.lastError ?? row.state))].join(', ');
  if (app.protocol === 'socket') {
    const head = `Slack app ${app.appId}: ${open} of ${mine.length} Socket Mode sockets open`;
    if (parked.length === 0) return open === mine.length && open > 0 ? `Connected to Slack: ${head}` : `${head} (connecting)`;
    return `Not connected: ${head}; ${parked.length} parked (${reasons}). Fix the app token (SLACK_APP_TOKEN) and restart, ` +
      `turn Socket Mode on and reinstall the app, or run npx lifeline reactivate --app ${app.appId}`;
  }
  const head = `Slack app ${app.appId}: ${open} of ${mine.length} workspaces connected over RTM`;
  const tail = parked.length === 0 ? '' : `; ${parked.length} parked (${reasons}): reinstalling brings a workspace back`;
  return `${head}${tail}; workspaces join through "Add to Slack"`;
}
