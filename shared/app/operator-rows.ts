import type { LinkStateName } from '../domain';
import type { LinkRecord } from '../ports';

/** What an operator sees of one link (the status page's row, `lifeline links`, `/api/links`). */
export interface LinkRow {
  id: string;
  protocol: LinkRecord['protocol'];
  appId: string;
  teamId?: string;
  slot?: number;
  state: LinkStateName;
  attempt: number;
  lastError?: string;
  owner?: string;
  /** When the current state was entered (epoch ms). */
  stateSince: number;
}

export const rowOf = (link: LinkRecord): LinkRow => ({
  id: link.id,
  protocol: link.protocol,
  appId: link.appId,
  ...(link.teamId !== undefined ? { teamId: link.teamId } : {}),
  ...(link.slot !== undefined ? { slot: link.slot } : {}),
  state: link.state,
  attempt: link.attempt,
  ...(link.lastError !== undefined ? { lastError: link.lastError } : {}),
  ...(link.owner !== undefined ? { owner: link.owner } : {}),
  stateSince: link.snapshot.context.stateSince ?? link.updatedAt,
});
