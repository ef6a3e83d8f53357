import type { HttpDeliveryRecord } from '../ground-truth';
import type { App, Workspace } from '../model';
import type { SimCore } from '../sim-core';
import {
  carriesResponseUrl, carriesTrigger, channelOfPayload, commandPayload, interactionPayload, teamOfPayload,
  type CommandInput, type InteractionInput, type InteractionKind,
} from '../interactivity/payloads';
import type { EnvelopeDelivery } from './envelope-delivery';
import type { HttpDelivery } from './http-delivery';

export interface InteractionResult {
  via: 'socket' | 'http';
  /** The envelope id (Socket Mode) or the HTTP delivery id: the `id` in `truth.deliveries()` */
  id: string;
  teamId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** What was sent */
  payload: Record<string, unknown>;
  /** HTTP only: settles with the recorded answer (status, response body) once the app replied or timed out. */
  answered?: Promise<HttpDeliveryRecord>;
}

export interface RawInteractionOptions {
  teamId?: string;
  acceptsResponsePayload?: boolean;
}

/**
 * Slash commands and interactions, as Slack sends them: over Socket Mode when the app has it on,
 * else as signed form POSTs to its command or interactivity Request URL. Each payload carries a
 * fresh `trigger_id` (for `views.open`) and `response_url` where its kind has them.
 */
export class InteractionHub {
  constructor(private readonly ctx: SimCore, private readonly envelopes: EnvelopeDelivery, private readonly http: HttpDelivery) {}

  command(appId: string, input: CommandInput): InteractionResult {
    const app = this.ctx.registry.requireApp(appId);
    const ws = this.workspaceFor(app, input.teamId);
    return this.send(app, ws.teamId, 'slash_commands', commandPayload(app, ws, input), {});
  }

  interaction(appId: string, input: InteractionInput): InteractionResult {
    const app = this.ctx.registry.requireApp(appId);
    const ws = this.workspaceFor(app, input.teamId);
    return this.send(app, ws.teamId, 'interactive', interactionPayload(app, ws, input), {});
  }

  /** A payload as given (the older `emitEnvelope`), completed with a trigger and a response URL when its team is known. */
  raw(appId: string, kind: InteractionKind, payload: Record<string, unknown>, opts: RawInteractionOptions): InteractionResult {
    const app = this.ctx.registry.requireApp(appId);
    const teamId = opts.teamId ?? teamOfPayload(payload) ?? this.ctx.registry.installationsOfApp(appId)[0]?.teamId;
    return this.send(app, teamId, kind, { ...payload }, opts);
  }

  private send(app: App, teamId: string | undefined, kind: InteractionKind, payload: Record<string, unknown>,
    opts: RawInteractionOptions): InteractionResult {
    if (teamId) {
      this.ctx.registry.channels.noteFrom(teamId, payload);
      if (payload.trigger_id === undefined && carriesTrigger(kind, payload.type)) {
        payload.trigger_id = this.ctx.triggers.issue(app.appId, teamId);
      }
      const channelId = channelOfPayload(payload);
      if (payload.response_url === undefined && carriesResponseUrl(kind, payload.type)) {
        payload.response_url = this.ctx.responseUrls.issue(this.ctx.baseUrl(), kind === 'slash_commands' ? 'commands' : 'actions',
          app.appId, teamId, channelId);
      }
    }
    const base = {
      teamId, payload,
      triggerId: typeof payload.trigger_id === 'string' ? payload.trigger_id : undefined,
      responseUrl: typeof payload.response_url === 'string' ? payload.response_url : undefined,
    };
    const url = kind === 'slash_commands' ? app.commandsUrl : app.interactivityUrl;
    if (app.socketMode || !url) {
      // Socket Mode off and no Request URL: Slack has nowhere to send it; the envelope records a failed attempt.
      const id = this.envelopes.send(app.appId, kind, payload, { teamId, acceptsResponsePayload: opts.acceptsResponsePayload ?? true });
      return { ...base, via: 'socket', id };
    }
    const type = String(kind === 'slash_commands' ? payload.command : payload.type);
    const { id, answered } = this.http.deliverInteraction(app, { kind, url, teamId, type, payload });
    return { ...base, via: 'http', id, answered };
  }

  private workspaceFor(app: App, teamId: string | undefined): Workspace {
    const id = teamId ?? this.ctx.registry.installationsOfApp(app.appId)[0]?.teamId;
    const ws = id ? this.ctx.registry.workspaces.get(id) : undefined;
    if (!ws) throw new Error(teamId ? `no workspace ${teamId}` : `app ${app.appId} is installed in no workspace: pass teamId`);
    return ws;
  }
}
