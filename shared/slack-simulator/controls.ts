import type { EmitOptions, EmitResult, EmitTarget } from './events/event-hub';
import type { EventStreamOptions, EventStreamResult } from './events/event-stream';
import type { InteractionResult } from './events/interaction-hub';
import type { CommandInput, InteractionInput } from './interactivity/payloads';
import type { SlackEvent } from './events/event-factory';
import type { FaultActions } from './fault-actions';
import type { GroundTruth } from './ground-truth';
import type { TokenStatus } from './model';
import type { AuthorizeBehaviour } from './oauth/codes';
import type { RateRule } from './options';
import type { AddAppOptions } from './registry';
import type { SocketInfo, SocketSelector } from './sockets/hub';

export interface AddWorkspaceOptions {
  teamId?: string;
  teamName?: string;
  /** Install this app (from `addApp`); default: a shared classic app, or a granular one with `granular`. */
  appId?: string;
  /** A granular bot token: RTM answers `not_allowed_token_type`. */
  granular?: boolean;
  enterpriseId?: string;
  enterpriseName?: string;
}

export interface WorkspaceHandle {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The workspace's `#general`: a conversation `chat.postMessage` accepts. */
  generalChannelId: string;
}

export interface AppHandle {
  appId: string;
  appToken: string;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  verificationToken: string;
}

/**
 * The simulator's programmatic controls, as the admin routes (`POST /_sim/*`) drive them.
 * `SlackSimulator` implements it; the routes depend on this, not on the simulator that serves
 * them, so the two do not import each other.
 */
export interface SimulatorControls {
  /** Where the simulator listens (its own host is an allowed `Host` for the admin routes). */
  readonly url: string;
  readonly truth: GroundTruth;
  readonly faults: FaultActions;
  addApp(opts?: AddAppOptions): AppHandle;
  addWorkspace(opts?: AddWorkspaceOptions): WorkspaceHandle;
  setTokenStatus(token: string, status: TokenStatus): void;
  setWorkspaceStatus(teamId: string, status: TokenStatus, appId?: string): void;
  uninstall(appId: string, teamId: string): void;
  emitEvent(target: string | EmitTarget, event: SlackEvent, opts?: EmitOptions): EmitResult[];
  emitEventStream(target: string | EmitTarget, event: SlackEvent, opts: EventStreamOptions): Promise<EventStreamResult>;
  emitEnvelope(appId: string, type: 'slash_commands' | 'interactive', payload: Record<string, unknown>,
    opts?: { teamId?: string; acceptsResponsePayload?: boolean }): string;
  emitCommand(appId: string, input: CommandInput): InteractionResult;
  emitInteraction(appId: string, input: InteractionInput): InteractionResult;
  setCommandsUrl(appId: string, url: string | undefined): void;
  setInteractivityUrl(appId: string, url: string | undefined): void;
  addChannel(teamId: string, channelId: string, name?: string): void;
  verifyEventsUrl(appId: string, url: string): Promise<{ ok: boolean; challenge: string; status?: number }>;
  setAuthorizeBehaviour(b: AuthorizeBehaviour): void;
  setRateLimits(rules: false | Record<string, RateRule | false>): void;
  sockets(sel?: SocketSelector): SocketInfo[];
}
