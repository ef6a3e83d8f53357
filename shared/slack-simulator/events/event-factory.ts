import { newEventId } from '../ids';
import type { App, Installation, Workspace } from '../model';

export type SlackEvent = Record<string, unknown> & { type: string };

export interface EventCallback extends Record<string, unknown> {
  type: 'event_callback';
  event_id: string;
  event_time: number;
  team_id: string;
  api_app_id: string;
  event: SlackEvent;
}

/**
 * Wraps an inner event the way Slack's Events API does (SLACK-PROTOCOL §4.1): the same body goes
 * to the HTTP Request URL and, as `payload`, inside a Socket Mode `events_api` envelope.
 */
export function wrapEvent(app: App, inst: Installation | undefined, ws: Workspace | undefined, event: SlackEvent,
  nowMs: number): EventCallback {
  const eventTime = Math.floor(nowMs / 1000);
  const teamId = inst?.teamId ?? ws?.teamId ?? inst?.enterpriseId ?? '';
  const enterpriseId = inst?.enterpriseId ?? ws?.enterpriseId ?? null;
  return {
    token: app.verificationToken,
    team_id: teamId,
    context_team_id: inst?.isEnterpriseInstall ? null : teamId,
    context_enterprise_id: enterpriseId,
    api_app_id: app.appId,
    event: { event_ts: `${eventTime}.${String(nowMs % 1000).padStart(3, '0')}000`, ...event },
    type: 'event_callback',
    event_id: newEventId(),
    event_time: eventTime,
    authorizations: inst
      ? [{
        enterprise_id: enterpriseId, team_id: inst.isEnterpriseInstall ? null : teamId, user_id: inst.botUserId,
        is_bot: true, is_enterprise_install: inst.isEnterpriseInstall,
      }]
      : [],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${app.appId}:${teamId}:${eventTime}`).toString('base64url')}`,
  };
}
