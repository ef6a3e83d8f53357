import type { LinkIdentity } from '../ports';

// Link ids name what they connect: `rtm:<app>:<team>` (one RTM socket per workspace) and
// `sm:<app>:<slot>` (Socket Mode pool slot). Parsing them here is what lets a bare CONNECT
// create a link without the caller repeating protocol, app and team.

/** Slack allows at most 10 Socket Mode connections per app. */
export const maxSocketModeSlots = 10;

export class InvalidLinkIdError extends Error {
  readonly code = 'INVALID_LINK_ID';
  constructor(readonly linkId: string, reason: string) {
    super(`invalid link id "${linkId}": ${reason}`);
    this.name = new.target.name;
  }
}

const segment = /^[A-Za-z0-9_-]+$/;

export const parseLinkId = (id: string): LinkIdentity => {
  const parts = id.split(':');
  if (parts.length !== 3) throw new InvalidLinkIdError(id, 'expected <protocol>:<app>:<team|slot>');
  const [prefix, appId, last] = parts as [string, string, string];
  if (!segment.test(appId)) throw new InvalidLinkIdError(id, 'bad app id');
  if (prefix === 'rtm') {
    if (!segment.test(last)) throw new InvalidLinkIdError(id, 'bad team id');
    return { id, protocol: 'rtm', appId, teamId: last };
  }
  if (prefix === 'sm') {
    const slot = Number(last);
    if (!/^\d+$/.test(last) || slot >= maxSocketModeSlots) {
      throw new InvalidLinkIdError(id, `slot must be 0..${maxSocketModeSlots - 1}`);
    }
    return { id, protocol: 'socket', appId, slot };
  }
  throw new InvalidLinkIdError(id, 'protocol must be rtm or sm');
};

export const rtmLinkId = (appId: string, teamId: string): string => `rtm:${appId}:${teamId}`;

export const socketModeLinkId = (appId: string, slot: number): string => `sm:${appId}:${slot}`;
