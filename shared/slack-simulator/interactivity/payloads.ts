import type { App, Workspace } from '../model';

export type InteractionKind = 'slash_commands' | 'interactive';

export interface CommandInput {
  /** `/ping` */
  command: string;
  text?: string;
  /** Default: the app's first installed workspace. */
  teamId?: string;
  userId?: string;
  userName?: string;
  /** Default: the workspace's `#general`. */
  channelId?: string;
  channelName?: string;
}

/** An interaction payload: `type` plus whatever the kind carries (`actions`, `view`, `callback_id`…), merged over the defaults. */
export type InteractionInput = Record<string, unknown> & { type: string; teamId?: string; userId?: string };

/** The simulated person who typed the command or clicked, when the caller names none. */
export const DEFAULT_USER_ID = 'U0SIMUSER';

/** Kinds that carry a `trigger_id` (Slack gives none for options requests and for a closed view). */
const WITHOUT_TRIGGER = new Set(['block_suggestion', 'view_closed']);
/** Kinds whose payload carries a `response_url` (those that come from a message). */
const WITH_RESPONSE_URL = new Set(['block_actions', 'message_action', 'interactive_message']);

export const carriesTrigger = (kind: InteractionKind, type: unknown): boolean =>
  kind === 'slash_commands' || !WITHOUT_TRIGGER.has(String(type));
export const carriesResponseUrl = (kind: InteractionKind, type: unknown): boolean =>
  kind === 'slash_commands' || WITH_RESPONSE_URL.has(String(type));

/** The fields Slack POSTs for a slash command (the same object is the Socket Mode envelope's payload). */
export function commandPayload(app: App, ws: Workspace, input: CommandInput): Record<string, unknown> {
  return {
    token: app.verificationToken,
    team_id: ws.teamId,
    team_domain: ws.domain,
    ...(ws.enterpriseId ? { enterprise_id: ws.enterpriseId, enterprise_name: ws.enterpriseName ?? '' } : {}),
    channel_id: input.channelId ?? ws.generalChannelId,
    channel_name: input.channelName ?? (input.channelId ? 'channel' : 'general'),
    user_id: input.userId ?? DEFAULT_USER_ID,
    user_name: input.userName ?? 'sim.user',
    command: input.command,
    text: input.text ?? '',
    api_app_id: app.appId,
    is_enterprise_install: 'false',
  };
}

/** An interaction payload with Slack's common fields; the caller's fields win. */
export function interactionPayload(app: App, ws: Workspace, input: InteractionInput): Record<string, unknown> {
  const { teamId: _teamId, userId, ...rest } = input;
  const user = userId ?? DEFAULT_USER_ID;
  return {
    token: app.verificationToken,
    team: { id: ws.teamId, domain: ws.domain },
    user: { id: user, username: 'sim.user', name: 'sim.user', team_id: ws.teamId },
    api_app_id: app.appId,
    is_enterprise_install: false,
    enterprise: ws.enterpriseId ? { id: ws.enterpriseId, name: ws.enterpriseName ?? '' } : null,
    ...rest,
  };
}

/** The team a raw payload names (`team_id` of a command, `team.id` of an interaction). */
export function teamOfPayload(payload: Record<string, unknown>): string | undefined {
  if (typeof payload.team_id === 'string') return payload.team_id;
  const team = payload.team as { id?: unknown } | undefined;
  return typeof team?.id === 'string' ? team.id : undefined;
}

/** The conversation a payload came from, for its `response_url`. */
export function channelOfPayload(payload: Record<string, unknown>): string | undefined {
  if (typeof payload.channel_id === 'string') return payload.channel_id;
  const channel = payload.channel as { id?: unknown } | undefined;
  if (typeof channel?.id === 'string') return channel.id;
  const container = payload.container as { channel_id?: unknown } | undefined;
  return typeof container?.channel_id === 'string' ? container.channel_id : undefined;
}
