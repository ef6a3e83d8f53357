import { isParked, type LinkProtocol, type LinkStateName } from '../domain';
import type { Sink } from '../ports';
import { announceLifecycle, type LifecycleKind } from './lifecycle-notice';
import { setLinksActive, type OperatorActionResult, type OperatorDeps, type OperatorTarget } from './operator-actions';

/** One notice an operator action sent (or could not: no sink where the action ran). */
export interface OperatorNoticeOutcome {
  kind: LifecycleKind;
  appId: string;
  installId?: string;
  linkIds: string[];
  /** The bot accepted it; false: refused, unreachable, or no sink (the CLI names the bus it lacked). */
  told: boolean;
}

export interface OperatorLifecycleResult extends OperatorActionResult {
  notices: OperatorNoticeOutcome[];
}

export type OperatorLifecycleDeps = OperatorDeps & {
  /** Where the bot hears it: the embedded bot's sink, or the stack's bus for the CLI on AWS. Absent: only logged. */
  noticeSink?: Sink;
};

interface Group {
  appId: string;
  protocol: LinkProtocol;
  installId?: string;
  linkIds: string[];
}

/**
 * The operator's deactivate / reactivate, with the bot told (`reason: operator`): one notice per
 * workspace (RTM links) and one per app for its Socket Mode pool, only for links the action
 * really moved in or out of a park. The same for every path an operator takes: the embedded
 * operator API (`npm start`) and the CLI against a deployed stack.
 */
export async function operatorSetLinksActive(deps: OperatorLifecycleDeps, target: OperatorTarget, active: boolean): Promise<OperatorLifecycleResult> {
  const result = await setLinksActive(deps, target, active);
  const groups = new Map<string, Group>();
  for (const link of result.links) {
    const parked = (state: string): boolean => isParked(state as LinkStateName);
    const moved = link.changed && parked(link.from) !== parked(link.to) && parked(link.to) !== active;
    if (!moved) continue;
    const [prefix, appId = '', last = ''] = link.id.split(':');
    const protocol: LinkProtocol = prefix === 'rtm' ? 'rtm' : 'socket';
    const key = protocol === 'rtm' ? link.id : `sm:${appId}`;
    const group = groups.get(key) ?? { appId, protocol, ...(protocol === 'rtm' ? { installId: last } : {}), linkIds: [] };
    group.linkIds.push(link.id);
    groups.set(key, group);
  }
  const kind: LifecycleKind = active ? 'lifeline_reactivated' : 'lifeline_parked';
  const notices: OperatorNoticeOutcome[] = [];
  for (const group of groups.values()) {
    const told = await announceLifecycle({ ...(deps.noticeSink ? { sink: deps.noticeSink } : {}), clock: deps.clock, log: deps.log }, { kind, reason: 'operator', ...group });
    notices.push({ kind, appId: group.appId, ...(group.installId ? { installId: group.installId } : {}), linkIds: group.linkIds, told });
  }
  return { ...result, notices };
}
