import type { SimCore } from '../sim-core';
import type { App, Installation } from '../model';
import { EnvelopeDelivery, type EnvelopeType } from './envelope-delivery';
import { wrapEvent, type EventCallback, type SlackEvent } from './event-factory';
import { HttpDelivery } from './http-delivery';
import { InteractionHub, type InteractionResult } from './interaction-hub';

export type Channel = 'socket_mode' | 'rtm' | 'http';

export interface EmitTarget {
  teamId?: string;
  appId?: string;
}

export interface EmitOptions {
  /** Default: Socket Mode if the app has it on, else HTTP if it has a Request URL; plus RTM for classic apps. */
  via?: Channel[];
}

export interface EmitResult {
  appId: string;
  teamId?: string;
  eventId: string;
  body: EventCallback;
  envelopeId?: string;
  /** RTM sockets the event was written to (queued on outstanding RTM URLs if none). */
  rtmSockets: number;
  http: boolean;
}

/** Produces events the way Slack does and routes them to Socket Mode, RTM and HTTP. */
export class EventHub {
  private readonly activity = new Map<string, number>();
  readonly envelopes: EnvelopeDelivery;
  readonly http: HttpDelivery;
  readonly interactions: InteractionHub;

  constructor(private readonly ctx: SimCore) {
    this.envelopes = new EnvelopeDelivery(ctx);
    this.http = new HttpDelivery(ctx);
    this.interactions = new InteractionHub(ctx, this.envelopes, this.http);
  }

  /** Last time a workspace produced an event (drives RTM's idle goodbye). */
  lastActivity(teamId: string): number {
    return this.activity.get(teamId) ?? 0;
  }

  /**
   * `target` is an app id (A…), a team id (T…), or both. A team-only target reaches every app
   * installed there, each with its own event id, as Slack does.
   */
  emitEvent(target: string | EmitTarget, event: SlackEvent, opts: EmitOptions = {}): EmitResult[] {
    const t: EmitTarget = typeof target === 'string' ? (target.startsWith('A') ? { appId: target } : { teamId: target }) : target;
    const { registry } = this.ctx;
    let installs: Installation[];
    if (t.appId && t.teamId) installs = registry.installationsOfApp(t.appId).filter((i) => i.installKey === t.teamId || i.teamId === t.teamId);
    else if (t.appId) installs = registry.installationsOfApp(t.appId).slice(0, 1);
    else if (t.teamId) installs = registry.installationsOfTeam(t.teamId);
    else throw new Error('emitEvent needs an app id or a team id');
    const neverInstalled = t.appId !== undefined && ![...registry.installations.values()].some((i) => i.appId === t.appId);
    if (installs.length === 0 && neverInstalled && !t.teamId) {
      // An app that was never installed still gets app-level events (handy for Socket Mode tests).
      // After an uninstall nothing is delivered: Slack stops events at once (SLACK-PROTOCOL §4.1).
      return [this.deliver(registry.requireApp(t.appId!), undefined, undefined, event, opts)];
    }
    return installs.map((inst) => this.deliver(registry.requireApp(inst.appId), inst, inst.teamId, event, opts));
  }

  /**
   * A `slash_commands` / `interactive` payload as given: over Socket Mode when the app has it on,
   * else to its Request URL over HTTP. Returns the envelope id or the HTTP delivery id.
   */
  emitEnvelope(appId: string, type: Exclude<EnvelopeType, 'events_api'>, payload: Record<string, unknown>,
    opts: { teamId?: string; acceptsResponsePayload?: boolean } = {}): InteractionResult {
    return this.interactions.raw(appId, type, payload, opts);
  }

  ack(appId: string, envelopeId: string, payload: unknown, socketId: number): void {
    this.envelopes.ack(appId, envelopeId, payload, socketId);
  }

  deliver(app: App, inst: Installation | undefined, teamId: string | undefined, event: SlackEvent, opts: EmitOptions): EmitResult {
    const ws = teamId ? this.ctx.registry.workspaces.get(teamId) : undefined;
    const body = wrapEvent(app, inst, ws, event, this.ctx.clock.now());
    if (teamId) {
      this.activity.set(teamId, this.ctx.clock.now());
      this.ctx.registry.channels.noteFrom(teamId, event);
    }
    const via = opts.via ?? defaultChannels(app);
    const result: EmitResult = { appId: app.appId, teamId, eventId: body.event_id, body, rtmSockets: 0, http: false };
    if (via.includes('socket_mode')) {
      result.envelopeId = this.envelopes.send(app.appId, 'events_api', body, { teamId, eventId: body.event_id });
    }
    if (via.includes('http') && app.eventsUrl) {
      this.http.deliver(app, app.eventsUrl, body, teamId);
      result.http = true;
    }
    if (via.includes('rtm') && teamId) result.rtmSockets = this.toRtm(app.appId, teamId, body.event);
    return result;
  }

  /** RTM carries the bare inner event to every socket of the workspace opened with this app's tokens. */
  private toRtm(appId: string, teamId: string, event: SlackEvent): number {
    let n = 0;
    for (const s of this.ctx.sockets.of(teamId)) {
      if (s.protocol !== 'rtm' || s.helloAt === 0 || s.ending) continue;
      if (!this.ofApp(s.token, appId)) continue;
      if (s.send(event)) n += 1;
    }
    this.ctx.tickets.queueForTeam(teamId, event, (token) => this.ofApp(token, appId));
    return n;
  }

  private ofApp(token: string, appId: string): boolean {
    return this.ctx.registry.token(token)?.appId === appId;
  }
}

function defaultChannels(app: App): Channel[] {
  const via: Channel[] = [];
  if (app.socketMode) via.push('socket_mode');
  else if (app.eventsUrl) via.push('http');
  if (app.classic) via.push('rtm');
  return via;
}
