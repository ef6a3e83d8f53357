/**
 * Which conversations exist in which workspace, as far as the simulator has seen: each workspace's
 * `#general`, channels added with `addChannel`, and every channel an event, command or interaction
 * of that workspace mentioned (an event from C1 in T1 means C1 exists in T1). `chat.postMessage`
 * and `reactions.add` answer `channel_not_found` for a conversation the caller's workspace lacks,
 * so a bot posting with the wrong team's token is caught.
 */
export class ChannelDirectory {
  /** channel id → teams it belongs to (more than one for shared channels) */
  private readonly teamsOf = new Map<string, Set<string>>();
  /** `${teamId}:${name}` → channel id */
  private readonly byName = new Map<string, string>();
  /** `${channel}:${ts}:${name}:${user}`: reactions added through the Web API */
  private readonly reactions = new Set<string>();

  add(teamId: string, channelId: string, name?: string): void {
    let teams = this.teamsOf.get(channelId);
    if (!teams) {
      teams = new Set();
      this.teamsOf.set(channelId, teams);
    }
    teams.add(teamId);
    if (name) this.byName.set(`${teamId}:${name.replace(/^#/, '')}`, channelId);
  }

  /** Adds a reaction; false when this user already added this one to this message. */
  react(channelId: string, ts: string, name: string, userId: string): boolean {
    const key = `${channelId}:${ts}:${name}:${userId}`;
    if (this.reactions.has(key)) return false;
    this.reactions.add(key);
    return true;
  }

  /** Notes the conversations a payload names (`channel`, `channel_id`, `channel.id`, `item.channel`). */
  noteFrom(teamId: string | undefined, payload: Record<string, unknown>): void {
    if (!teamId) return;
    for (const id of channelIdsIn(payload)) this.add(teamId, id);
  }

  /**
   * The conversation `ref` names for `teamId`: an id the workspace has, `#name`, or a user id
   * (a DM with the bot, which always exists). Undefined: `channel_not_found`.
   */
  resolve(teamId: string | undefined, ref: string | undefined): string | undefined {
    if (!teamId || !ref) return undefined;
    if (ref.startsWith('#')) return this.byName.get(`${teamId}:${ref.slice(1)}`);
    if (/^[UW][A-Z0-9]+$/.test(ref)) return `D${ref.slice(1)}`;
    return this.teamsOf.get(ref)?.has(teamId) ? ref : undefined;
  }
}

function channelIdsIn(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const take = (v: unknown): void => {
    if (typeof v === 'string' && /^[CGD][A-Z0-9]+$/.test(v)) out.push(v);
  };
  take(p.channel);
  take(p.channel_id);
  if (typeof p.channel === 'object' && p.channel !== null) take((p.channel as { id?: unknown }).id);
  if (typeof p.item === 'object' && p.item !== null) take((p.item as { channel?: unknown }).channel);
  return out;
}
