import { socketModeLinkId } from '../../../shared/app';
import type { SinkEvent } from '../../../shared/ports';
import { startFaultProxy, type FaultProxy, type StoreFault } from '../../support/fault-proxy';
import type { ChildWorker } from '../harness/child-worker';
import { waitFor, World } from '../harness/world';

/** The harness's child lease and heartbeat (`harness/child-worker.ts`): every fault below lasts several leases. */
export const CHILD_LEASE_MS = 3_000;
export const CHILD_HEARTBEAT_MS = 500;

export interface OutageWorld {
  world: World;
  proxy: FaultProxy;
  workers: ChildWorker[];
  rtm: Array<{ linkId: string; teamId: string }>;
  app: { appId: string; teamId: string; linkIds: string[] };
  allLinkIds: string[];
}

/**
 * Worker processes whose store is behind the fault proxy (the test's own store calls, the
 * workflows' and the queue's go direct), holding RTM links and a Socket Mode app's pool.
 */
export async function startOutageWorld(options: {
  workers: number;
  rtmLinks: number;
  smSlots: number;
  env?: Record<string, string>;
  /** The simulator's Socket Mode behaviour, over the defaults below. */
  socketMode?: { retryDelaysMs?: number[]; redeliverEveryKind?: boolean };
}): Promise<OutageWorld> {
  // Slack redelivers an unacked envelope at once, then after 60 s and 300 s. Scaled with the
  // children's lease (3 s for 20 s): an envelope a fencing worker leaves unacked reaches the peer
  // within the test, as it would within minutes on Slack.
  const world = await World.start({ visibilityTimeoutMs: 2_000, simulator: { socketMode: { retryDelaysMs: [0, 9_000, 45_000], ...options.socketMode } } });
  const proxy = await startFaultProxy(world.engine.endpoint);
  // Liveness at production-like windows: the harness's 900 ms dead-socket verdict fires on this
  // machine's scheduling stalls, and a socket closed for that is not what these tests count.
  const env = { LIFELINE_DYNAMODB_ENDPOINT: proxy.endpoint, LIFELINE_RECONCILE_MS: '5000', LIFELINE_PING_IDLE_MS: '2000', LIFELINE_DEAD_AFTER_MS: '7000', ...options.env };
  const workers: ChildWorker[] = [];
  for (let i = 0; i < options.workers; i++) workers.push(await world.forkWorker(env));
  const rtm = [];
  for (let i = 0; i < options.rtmLinks; i++) rtm.push(await world.addRtmLink());
  const simApp = world.sim.addApp({ socketMode: true });
  world.credentials.set({ protocol: 'socket', appId: simApp.appId }, { token: simApp.appToken, tokenVersion: 1 });
  const teamId = world.sim.addWorkspace({ appId: simApp.appId }).teamId;
  const linkIds = Array.from({ length: options.smSlots }, (_, slot) => socketModeLinkId(simApp.appId, slot));
  for (const linkId of linkIds) await world.send(linkId, { type: 'CONNECT' });
  const app = { appId: simApp.appId, teamId, linkIds };
  const ow: OutageWorld = { world, proxy, workers, rtm, app, allLinkIds: [...rtm.map((l) => l.linkId), ...linkIds] };
  await everyLinkOpen(ow, 20_000);
  return ow;
}

/** Every link open in the store, held by a live worker, and exactly one socket per link at Slack. */
export async function everyLinkOpen(ow: OutageWorld, timeoutMs: number, live: string[] = ow.workers.map((w) => w.workerId)): Promise<void> {
  const { world } = ow;
  const why = async () => {
    const links = await Promise.all(ow.allLinkIds.map((id) => world.links.get(id)));
    return links.map((l) => `${l?.id} ${l?.state} ${l?.owner}`).join('\n');
  };
  let last = '';
  await waitFor(
    async () => {
      const links = await Promise.all(ow.allLinkIds.map((id) => world.links.get(id)));
      last = await why();
      return (
        links.every((l) => l?.state === 'open' && l.owner !== undefined && live.includes(l.owner)) &&
        ow.rtm.every(({ teamId }) => world.sim.truth.openNow(teamId) === 1) &&
        world.sim.truth.openNow(ow.app.appId) === ow.app.linkIds.length
      );
    },
    timeoutMs,
    () => `not every link open once:\n${last}\n${ow.workers.map((w) => w.output.slice(-15).join('\n')).join('\n---\n')}`,
  );
}

export interface EventPump {
  stop(): void;
  rtmTexts: string[];
  smEventIds: string[];
  /** When each RTM text was sent (this process's clock, as the simulator's truth). */
  rtmSentAt: Map<string, number>;
}

/** Numbers every RTM event across pumps: its ts is its dedupe key, and its text how the bot tells it. */
let seq = 0;

/** Events to every RTM team and to the Socket Mode app, every `everyMs`, each with a key of its own. */
export function pumpEvents(ow: OutageWorld, everyMs: number): EventPump {
  const rtmTexts: string[] = [];
  const smEventIds: string[] = [];
  const rtmSentAt = new Map<string, number>();
  const timer = setInterval(() => {
    seq += 1;
    for (const { teamId } of ow.rtm) {
      const text = `outage-${teamId}-${seq}`;
      rtmTexts.push(text);
      rtmSentAt.set(text, Date.now());
      ow.world.sim.emitEvent(teamId, { type: 'message', channel: 'COUTAGE', text, ts: `1700000000.${String(seq).padStart(6, '0')}` });
    }
    const [emitted] = ow.world.sim.emitEvent({ appId: ow.app.appId, teamId: ow.app.teamId }, { type: 'app_mention', text: `sm-${seq}` }, { via: ['socket_mode'] });
    if (emitted) smEventIds.push(emitted.eventId);
  }, everyMs);
  return { stop: () => clearInterval(timer), rtmTexts, smEventIds, rtmSentAt };
}

export interface OutageTally {
  /** Sockets Lifeline closed (the simulator's truth: closed by the client) since `from`. */
  closedByLifeline: number;
  rtmLost: string[];
  smLost: string[];
  rtmTwice: number;
  smTwice: number;
  /** The RTM texts that reached the bot more than once. */
  rtmTwiceTexts: string[];
}

const rtmText = (e: SinkEvent) => (e.payload as { text?: unknown }).text;
const smEventId = (e: SinkEvent) => (e.payload as { event_id?: unknown }).event_id;

/** What the bot saw against what Slack sent, once every event had its chance (Slack's redeliveries included). */
export async function tally(ow: OutageWorld, pump: EventPump, from: number, settleMs = 20_000): Promise<OutageTally> {
  const { world } = ow;
  const seen = () => {
    const rtm = new Map<unknown, number>();
    const sm = new Map<unknown, number>();
    for (const e of world.sinkEvents) {
      if (e.protocol === 'rtm') rtm.set(rtmText(e), (rtm.get(rtmText(e)) ?? 0) + 1);
      else sm.set(smEventId(e), (sm.get(smEventId(e)) ?? 0) + 1);
    }
    return { rtm, sm };
  };
  await waitFor(() => {
    const { rtm, sm } = seen();
    return pump.rtmTexts.every((t) => rtm.has(t)) && pump.smEventIds.every((id) => sm.has(id));
  }, settleMs).catch(() => undefined); // what is still missing is counted below
  const { rtm, sm } = seen();
  return {
    closedByLifeline: world.sim.truth.closes.filter((c) => c.by === 'client' && c.at >= from).length,
    rtmLost: pump.rtmTexts.filter((t) => !rtm.has(t)),
    smLost: pump.smEventIds.filter((id) => !sm.has(id)),
    rtmTwice: [...rtm.values()].filter((n) => n > 1).length,
    rtmTwiceTexts: [...rtm].filter(([, n]) => n > 1).map(([text]) => String(text)),
    smTwice: [...sm.values()].filter((n) => n > 1).length,
  };
}

/** One fault for `durationMs`, events flowing throughout; then the store answers again. */
export async function runFault(ow: OutageWorld, fault: StoreFault, durationMs: number): Promise<{ tally: OutageTally; recoveredMs: number }> {
  const pump = pumpEvents(ow, 250);
  await new Promise((resolve) => setTimeout(resolve, 600)); // events before the fault, too
  const from = Date.now();
  await ow.proxy.set(fault);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  await ow.proxy.set({ kind: 'pass' });
  const back = Date.now();
  await everyLinkOpen(ow, 20_000);
  const recoveredMs = Date.now() - back;
  await new Promise((resolve) => setTimeout(resolve, 600)); // and after it
  pump.stop();
  return { tally: await tally(ow, pump, from), recoveredMs };
}
