import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin/admin-routes';
import type { SimContext } from './context';
import type { SimCore } from './sim-core';
import type { AddWorkspaceOptions, AppHandle, SimulatorControls, WorkspaceHandle } from './controls';
import { EventHub, type EmitOptions, type EmitResult, type EmitTarget } from './events/event-hub';
import type { SlackEvent } from './events/event-factory';
import { streamEvents, type EventStreamOptions, type EventStreamResult } from './events/event-stream';
import { Lifecycle } from './events/lifecycle';
import { FaultActions } from './fault-actions';
import type { InteractionResult } from './events/interaction-hub';
import { FaultState } from './faults';
import { GroundTruth } from './ground-truth';
import type { CommandInput, InteractionInput } from './interactivity/payloads';
import { handleResponseUrl } from './interactivity/response-url-route';
import { isResponseUrlPath, ResponseUrlStore } from './interactivity/response-urls';
import { TriggerStore } from './interactivity/triggers';
import type { TokenStatus } from './model';
import { handleAuthorize } from './oauth/authorize';
import { OAuthCodes, type AuthorizeBehaviour } from './oauth/codes';
import { resolveOptions, type RateRule, type SimulatorOptions, type SimulatorOptionsInput } from './options';
import { RateLimiter } from './rate-limiter';
import { Registry, type AddAppOptions } from './registry';
import { Scheduler } from './scheduler';
import { SocketHub, type SocketInfo, type SocketSelector } from './sockets/hub';
import { TicketStore } from './sockets/tickets';
import { UpgradeHandler } from './sockets/upgrade';
import { handleApi } from './web-api/router';

/** A Slack that runs in-process: Web API, RTM and Socket Mode sockets, Events API, OAuth, faults, ground truth. */
export class SlackSimulator implements SimulatorControls {
  readonly options: SimulatorOptions;
  readonly truth: GroundTruth;
  readonly faults: FaultActions;
  private readonly ctx: SimContext;
  private readonly server: Server;
  private readonly upgrades: UpgradeHandler;
  private port = 0;
  private defaultApps: { classic?: string; granular?: string } = {};
  private readonly httpPingPayload: string;

  constructor(input: SimulatorOptionsInput = {}) {
    const options = resolveOptions(input);
    this.options = options;
    const clock = options.clock;
    const scheduler = new Scheduler(clock);
    const truth = new GroundTruth(options.maxTruthRecords);
    this.truth = truth;
    // The event hub and the lifecycle are built from the core, then join it as the context.
    const core: SimCore = {
      options, clock, scheduler, truth,
      registry: new Registry(clock),
      rateLimiter: new RateLimiter(clock, options.rateLimits, options.retryAfterSeconds),
      tickets: new TicketStore(clock, scheduler),
      sockets: new SocketHub(clock, truth, scheduler),
      faults: new FaultState(),
      oauthCodes: new OAuthCodes(clock),
      triggers: new TriggerStore(clock, () => options.interactivity.triggerTtlMs),
      responseUrls: new ResponseUrlStore(clock, () => ({
        uses: options.interactivity.responseUrlUses, ttlMs: options.interactivity.responseUrlTtlMs,
      })),
      baseUrl: () => this.url,
      log: (m: string) => {
        if (options.verbose) process.stderr.write(`[slack-sim] ${m}\n`);
      },
    };
    const events = new EventHub(core);
    const ctx: SimContext = { ...core, events, lifecycle: new Lifecycle(core, events) };
    this.ctx = ctx;
    this.faults = new FaultActions(ctx, (downMs) => this.restart(downMs));
    this.upgrades = new UpgradeHandler(ctx);
    this.httpPingPayload = `Ping from ${options.socketMode.host}`;
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrades.handle(req, socket, head));
    // Thousands of idle sockets: never let Node's HTTP timeouts cut them.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
    this.server.keepAliveTimeout = 5_000;
  }

  async start(): Promise<this> {
    await this.listen(this.options.port);
    this.ctx.sockets.startPings('socket_mode', this.options.socketMode.serverPingIntervalMs, this.httpPingPayload);
    this.ctx.sockets.startPings('rtm', this.options.rtm.serverPingIntervalMs, 'ping');
    return this;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  /** Web API base, as the SDKs' `slackApiUrl` expects. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get clock(): SimulatorOptions['clock'] {
    return this.ctx.clock;
  }

  addApp(opts: AddAppOptions = {}): AppHandle {
    const app = this.ctx.registry.addApp(opts);
    return {
      appId: app.appId, appToken: app.appToken, clientId: app.clientId, clientSecret: app.clientSecret,
      signingSecret: app.signingSecret, verificationToken: app.verificationToken,
    };
  }

  /** A workspace with the app installed; reusing a `teamId` installs another app into the same workspace. */
  addWorkspace(opts: AddWorkspaceOptions = {}): WorkspaceHandle {
    const appId = opts.appId ?? this.defaultApp(opts.granular === true);
    const { installation } = this.ctx.registry.install(appId, {
      teamId: opts.teamId, teamName: opts.teamName, enterpriseId: opts.enterpriseId, enterpriseName: opts.enterpriseName,
    });
    const ws = this.ctx.registry.workspaces.get(installation.teamId!)!;
    return {
      teamId: ws.teamId, teamName: ws.teamName, botToken: installation.botToken, botUserId: installation.botUserId,
      botId: installation.botId, appId, generalChannelId: ws.generalChannelId,
    };
  }

  /** Install (or re-install) as the OAuth flow would, without the HTTP round trip. Returns the live bot token. */
  install(appId: string, teamId: string): WorkspaceHandle {
    return this.addWorkspace({ appId, teamId });
  }

  /** Any non-active status closes the token's live sockets; later calls fail with the status's error. */
  setTokenStatus(token: string, status: TokenStatus): void {
    this.ctx.lifecycle.setTokenStatus(token, status);
  }

  /** Sets the status of the bot token of every install in a workspace (or of one app's install). */
  setWorkspaceStatus(teamId: string, status: TokenStatus, appId?: string): void {
    for (const inst of this.ctx.registry.installationsOfTeam(teamId)) {
      if (!appId || inst.appId === appId) this.setTokenStatus(inst.botToken, status);
    }
  }

  tokenStatus(token: string): TokenStatus | undefined {
    return this.ctx.registry.token(token)?.status;
  }

  /** The generation ground truth reports for calls made with this token (1 = first minted for its install). */
  tokenGeneration(token: string): number | undefined {
    return this.ctx.registry.token(token)?.generation;
  }

  /** A conversation in a workspace (by id, optionally with a name for `#name` lookups); events also add the ones they mention. */
  addChannel(teamId: string, channelId: string, name?: string): void {
    if (!this.ctx.registry.workspaces.has(teamId)) throw new Error(`no workspace ${teamId}`);
    this.ctx.registry.channels.add(teamId, channelId, name);
  }

  /** Programmatic uninstall: tokens die, sockets close, `tokens_revoked` + `app_uninstalled` go out. */
  uninstall(appId: string, teamId: string): void {
    const inst = this.ctx.registry.installation(appId, teamId);
    if (!inst) throw new Error(`app ${appId} is not installed in ${teamId}`);
    this.ctx.lifecycle.uninstall(inst);
  }

  emitEvent(target: string | EmitTarget, event: SlackEvent, opts?: EmitOptions): EmitResult[] {
    return this.ctx.events.emitEvent(target, event, opts);
  }

  /** `event` at a steady rate for a while (a load for benchmarks); resolves when the last one is out. */
  emitEventStream(target: string | EmitTarget, event: SlackEvent, opts: EventStreamOptions): Promise<EventStreamResult> {
    return streamEvents(this.ctx, (t, e, o) => this.ctx.events.emitEvent(t, e, o), target, event, opts);
  }

  /**
   * A `slash_commands` / `interactive` payload as given, completed with `trigger_id` and
   * `response_url` when absent: over Socket Mode when the app has it on, else to its command or
   * interactivity Request URL. Returns the envelope id, or the HTTP delivery id.
   */
  emitEnvelope(appId: string, type: 'slash_commands' | 'interactive', payload: Record<string, unknown>,
    opts?: { teamId?: string; acceptsResponsePayload?: boolean }): string {
    return this.ctx.events.emitEnvelope(appId, type, payload, opts).id;
  }

  /** A slash command typed in a workspace the app is installed in, with Slack's fields; see `emitEnvelope` for the route. */
  emitCommand(appId: string, input: CommandInput): InteractionResult {
    return this.ctx.events.interactions.command(appId, input);
  }

  /** An interaction (`block_actions`, `view_submission`, `shortcut`…) with Slack's common fields; see `emitEnvelope`. */
  emitInteraction(appId: string, input: InteractionInput): InteractionResult {
    return this.ctx.events.interactions.interaction(appId, input);
  }

  /** Sets the app's Request URL for HTTP Events API delivery (no verification). */
  setEventsUrl(appId: string, url: string | undefined): void {
    this.ctx.registry.requireApp(appId).eventsUrl = url;
  }

  /** Sets the app's slash-command Request URL (used when Socket Mode is off). */
  setCommandsUrl(appId: string, url: string | undefined): void {
    this.ctx.registry.requireApp(appId).commandsUrl = url;
  }

  /** Sets the app's interactivity Request URL (used when Socket Mode is off). */
  setInteractivityUrl(appId: string, url: string | undefined): void {
    this.ctx.registry.requireApp(appId).interactivityUrl = url;
  }

  /** Sends `url_verification`; on success the URL becomes the app's Request URL, as in app settings. */
  async verifyEventsUrl(appId: string, url: string): Promise<{ ok: boolean; challenge: string; status?: number }> {
    const app = this.ctx.registry.requireApp(appId);
    const out = await this.ctx.events.http.verifyUrl(app, url);
    if (out.ok) app.eventsUrl = url;
    return out;
  }

  setAuthorizeBehaviour(b: AuthorizeBehaviour): void {
    this.ctx.oauthCodes.behaviour = { ...b };
  }

  setRateLimits(rules: false | Record<string, RateRule | false>): void {
    this.ctx.rateLimiter.setRules(rules);
  }

  sockets(sel?: SocketSelector): SocketInfo[] {
    return this.ctx.sockets.info(sel);
  }

  /** With a manual clock: run every timer that is due now. */
  tick(): number {
    return this.ctx.scheduler.runDue();
  }

  async close(): Promise<void> {
    this.ctx.scheduler.stop();
    this.ctx.sockets.stop();
    this.ctx.sockets.terminateAll('shutdown');
    this.upgrades.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private defaultApp(granular: boolean): string {
    const slot = granular ? 'granular' : 'classic';
    this.defaultApps[slot] ??= this.ctx.registry.addApp({
      classic: !granular, socketMode: granular, name: granular ? 'lifeline-granular' : 'lifeline-classic',
    }).appId;
    return this.defaultApps[slot];
  }

  private async restart(downMs: number): Promise<void> {
    this.ctx.sockets.terminateAll('restart');
    this.ctx.tickets.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host: this.options.host, backlog: 4096 }, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.ctx.log(`${req.method} ${url.pathname}`);
    try {
      if (url.pathname.startsWith('/api/')) return await handleApi(this.ctx, req, res, url);
      if (url.pathname === '/oauth/v2/authorize') return handleAuthorize(this.ctx, req, res, url);
      if (url.pathname.startsWith('/_sim/')) return await handleAdmin(this, req, res, url);
      if (isResponseUrlPath(url.pathname)) return await handleResponseUrl(this.ctx, req, res, url);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'internal_error', detail: String(err) }));
    }
  }
}

export async function startSlackSimulator(options: SimulatorOptionsInput = {}): Promise<SlackSimulator> {
  return new SlackSimulator(options).start();
}
