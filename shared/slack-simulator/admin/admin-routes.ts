import type { IncomingMessage, ServerResponse } from 'node:http';
import { crossSiteRefusal, LOOPBACK_HOSTS } from '../../http';
import type { SimulatorControls } from '../controls';
import type { InteractionResult } from '../events/interaction-hub';
import type { SlackEvent } from '../events/event-factory';
import type { FaultScope } from '../faults';
import type { TokenStatus } from '../model';
import type { SocketSelector } from '../sockets/hub';
import type { DisconnectReason } from '../sockets/socket-mode-session';
import { readBody } from '../web-api/request';

type Body = Record<string, unknown>;
type Action = (sim: SimulatorControls, body: Body) => unknown;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function selector(b: Body): SocketSelector {
  return {
    socketId: num(b.socketId), key: str(b.key), teamId: str(b.teamId), appId: str(b.appId),
    protocol: b.protocol === 'rtm' || b.protocol === 'socket_mode' ? b.protocol : undefined, token: str(b.token),
  };
}

function scope(b: Body): FaultScope {
  const s = selector(b);
  return { count: num(b.count), protocol: s.protocol, key: s.key ?? s.teamId ?? s.appId };
}

/** The programmatic API, over HTTP: `POST /_sim/<action>` with a JSON body, `GET /_sim/truth|sockets`. */
const ACTIONS: Record<string, Action> = {
  workspaces: (sim, b) => sim.addWorkspace(b),
  apps: (sim, b) => sim.addApp(b),
  'token-status': (sim, b) => sim.setTokenStatus(String(b.token), String(b.status) as TokenStatus),
  'workspace-status': (sim, b) => sim.setWorkspaceStatus(String(b.teamId), String(b.status) as TokenStatus, str(b.appId)),
  uninstall: (sim, b) => sim.uninstall(String(b.appId), String(b.teamId)),
  events: (sim, b) => sim.emitEvent(b.target as string, b.event as SlackEvent, { via: b.via as never }).map((r) => ({
    appId: r.appId, teamId: r.teamId, eventId: r.eventId, envelopeId: r.envelopeId, rtmSockets: r.rtmSockets, http: r.http,
  })),
  // A steady load for benchmarks; answers once the last event is out (its envelope ids, in order).
  'events/stream': (sim, b) => sim.emitEventStream(b.target as string, b.event as SlackEvent, {
    perSecond: num(b.perSecond) ?? 0, durationMs: num(b.durationMs) ?? 0, tickMs: num(b.tickMs), via: b.via as never,
  }),
  envelopes: (sim, b) => ({
    envelopeId: sim.emitEnvelope(String(b.appId), b.type === 'interactive' ? 'interactive' : 'slash_commands',
      (b.payload ?? {}) as Record<string, unknown>, { teamId: str(b.teamId) }),
  }),
  commands: (sim, b) => withoutPromise(sim.emitCommand(String(b.appId), {
    command: String(b.command), text: str(b.text), teamId: str(b.teamId), userId: str(b.userId), channelId: str(b.channelId),
  })),
  interactions: (sim, b) => withoutPromise(sim.emitInteraction(String(b.appId), {
    ...((b.payload ?? {}) as Record<string, unknown>), type: String((b.payload as Body | undefined)?.type ?? b.type), teamId: str(b.teamId),
  })),
  'app-urls': (sim, b) => {
    if ('commandsUrl' in b) sim.setCommandsUrl(String(b.appId), str(b.commandsUrl));
    if ('interactivityUrl' in b) sim.setInteractivityUrl(String(b.appId), str(b.interactivityUrl));
  },
  channels: (sim, b) => sim.addChannel(String(b.teamId), String(b.channelId), str(b.name)),
  'events-url': (sim, b) => sim.verifyEventsUrl(String(b.appId), String(b.url)),
  authorize: (sim, b) => sim.setAuthorizeBehaviour(b),
  'rate-limits': (sim, b) => sim.setRateLimits(b.rules === false ? false : (b.rules as never)),
  'faults/kill': (sim, b) => ({ sockets: sim.faults.kill(selector(b)) }),
  'faults/close': (sim, b) => ({ sockets: sim.faults.close(selector(b), num(b.code) ?? 1000, str(b.reason)) }),
  'faults/black-hole': (sim, b) => ({ sockets: sim.faults.blackHole(selector(b), num(b.releaseAfterMs)) }),
  'faults/disconnect': (sim, b) => ({ sockets: sim.faults.disconnect(selector(b), (str(b.reason) ?? 'refresh_requested') as DisconnectReason) }),
  'faults/goodbye': (sim, b) => ({ sockets: sim.faults.goodbye(selector(b)) }),
  'faults/team-migration': (sim, b) => ({ sockets: sim.faults.teamMigration(selector(b)) }),
  'faults/disable-socket-mode': (sim, b) => ({ sockets: sim.faults.disableSocketMode(String(b.appId)) }),
  'faults/enable-socket-mode': (sim, b) => sim.faults.enableSocketMode(String(b.appId)),
  'faults/refuse-upgrades': (sim, b) => sim.faults.refuseUpgrades(scope(b), num(b.status) ?? 408),
  'faults/withhold-hello': (sim, b) => sim.faults.withholdHello(scope(b)),
  'faults/delay-hello': (sim, b) => sim.faults.delayHello(num(b.delayMs) ?? 1000, scope(b)),
  'faults/rate-limit': (sim, b) => sim.faults.rateLimit({
    method: str(b.method), key: str(b.key), count: num(b.count), retryAfterSeconds: num(b.retryAfterSeconds),
  }),
  'faults/restart': (sim, b) => sim.faults.restart(num(b.downMs) ?? 0),
  'faults/clear': (sim) => sim.faults.clear(),
  'truth/reset': (sim) => sim.truth.reset(),
};

/**
 * `/_sim/*` can uninstall workspaces and restart the simulator, so only local callers reach it:
 * `Host` one of localhost, 127.0.0.1, [::1] (or the host the simulator listens on), no `Origin`
 * but its own, and a JSON `POST`. A form or a `text/plain` fetch from any web page the developer
 * has open, or a rebinding DNS name, gets 403/415 with nothing done. Tests and scripts send JSON.
 */
export async function handleAdmin(sim: SimulatorControls, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const refusal = crossSiteRefusal(req, { allowedHosts: [...LOOPBACK_HOSTS, new URL(sim.url).hostname], requireJson: true });
  if (refusal) {
    req.resume();
    return json(res, refusal.status, { ok: false, error: refusal.error, detail: refusal.detail });
  }
  const action = url.pathname.slice('/_sim/'.length);
  if (req.method === 'GET' && action === 'truth') return json(res, 200, sim.truth.summary(url.searchParams.get('key') ?? undefined));
  if (req.method === 'GET' && action === 'sockets') return json(res, 200, { sockets: sim.sockets() });
  const fn = ACTIONS[action];
  if (req.method !== 'POST' || !fn) return json(res, 404, { ok: false, error: 'unknown_admin_action' });
  const raw = await readBody(req);
  let body: Body;
  try {
    body = raw ? (JSON.parse(raw) as Body) : {};
  } catch {
    return json(res, 400, { ok: false, error: 'invalid_json' });
  }
  if (action === 'faults/restart') {
    // Answer before the listener goes away.
    json(res, 200, { ok: true });
    void fn(sim, body);
    return;
  }
  try {
    const result = await fn(sim, body);
    json(res, 200, { ok: true, result: result ?? null });
  } catch (err) {
    json(res, 400, { ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

/** What an admin caller gets back from an emit: the result without its in-process promise. */
function withoutPromise(r: InteractionResult): Omit<InteractionResult, 'answered'> {
  const { answered: _answered, ...rest } = r;
  return rest;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
