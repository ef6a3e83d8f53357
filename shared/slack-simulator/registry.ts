import type { Clock } from './clock';
import {
  newAppToken, newBotToken, newClientId, newId, newRefreshToken, newRotatingToken, newSecret, newUserToken,
} from './ids';
import { ChannelDirectory } from './interactivity/channels';
import type { App, Installation, TokenKind, TokenRecord, TokenStatus, Workspace } from './model';

export interface AddAppOptions {
  appId?: string;
  name?: string;
  /** A classic app's bot tokens work with RTM. Default false (granular, Socket Mode). */
  classic?: boolean;
  /** Socket Mode enabled in settings. Default true. */
  socketMode?: boolean;
  eventsUrl?: string;
  /** Slash-command Request URL: commands reach a non-Socket-Mode app here over HTTP. */
  commandsUrl?: string;
  /** Interactivity Request URL: interactions reach a non-Socket-Mode app here over HTTP. */
  interactivityUrl?: string;
  tokenRotation?: boolean;
  botScopes?: string[];
  /** Scopes of the app-level token. Default `connections:write`. */
  appTokenScopes?: string[];
  clientId?: string;
  clientSecret?: string;
  signingSecret?: string;
}

export interface InstallTarget {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** Org-wide install: the installation belongs to the enterprise, not to one team. */
  isEnterpriseInstall?: boolean;
  userId?: string;
  userScopes?: string[];
}

/** A rotating token lives 12 h (SLACK-PROTOCOL §3.3). */
export const ROTATING_TOKEN_TTL_S = 43_200;

const CLASSIC_BOT_SCOPES = ['bot'];
const DEFAULT_GRANULAR_SCOPES = ['chat:write', 'app_mentions:read', 'channels:history', 'commands', 'reactions:write'];

/** Workspaces, apps, installations and every token the simulator has minted. */
export class Registry {
  readonly workspaces = new Map<string, Workspace>();
  readonly apps = new Map<string, App>();
  readonly installations = new Map<string, Installation>();
  readonly channels = new ChannelDirectory();
  private readonly tokens = new Map<string, TokenRecord>();
  /** refresh token → the installation and token kind it renews */
  private readonly refreshTokens = new Map<string, { appId: string; installKey: string; kind: 'bot' | 'user'; userId?: string }>();

  constructor(private readonly clock: Clock) {}

  addApp(opts: AddAppOptions = {}): App {
    const appId = opts.appId ?? newId('A');
    if (this.apps.has(appId)) throw new Error(`app ${appId} already exists`);
    const classic = opts.classic ?? false;
    const app: App = {
      appId,
      name: opts.name ?? `app-${appId.toLowerCase()}`,
      appToken: newAppToken(appId),
      clientId: opts.clientId ?? newClientId(),
      clientSecret: opts.clientSecret ?? newSecret(),
      signingSecret: opts.signingSecret ?? newSecret(),
      verificationToken: newSecret().slice(0, 24),
      classic,
      socketMode: opts.socketMode ?? true,
      eventsUrl: opts.eventsUrl,
      commandsUrl: opts.commandsUrl,
      interactivityUrl: opts.interactivityUrl,
      tokenRotation: opts.tokenRotation ?? false,
      botScopes: opts.botScopes ?? (classic ? CLASSIC_BOT_SCOPES : DEFAULT_GRANULAR_SCOPES),
    };
    this.apps.set(appId, app);
    this.tokens.set(app.appToken, {
      token: app.appToken, kind: 'app', status: 'active', appId, classic: false, generation: 1,
      scopes: opts.appTokenScopes ?? ['connections:write'],
    });
    return app;
  }

  /** A fresh team id; ids given explicitly (a restored workspace) can be ahead of the counter. */
  private unusedTeamId(): string {
    let teamId = newId('T');
    while (this.workspaces.has(teamId)) teamId = newId('T');
    return teamId;
  }

  ensureWorkspace(target: InstallTarget): Workspace {
    const teamId = target.teamId ?? this.unusedTeamId();
    const existing = this.workspaces.get(teamId);
    if (existing) return existing;
    const teamName = target.teamName ?? `Workspace ${teamId}`;
    const ws: Workspace = {
      teamId, teamName, domain: teamName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      enterpriseId: target.enterpriseId, enterpriseName: target.enterpriseName, generalChannelId: newId('C'),
    };
    this.workspaces.set(teamId, ws);
    this.channels.add(teamId, ws.generalChannelId, 'general');
    return ws;
  }

  /**
   * Installs (or re-installs) an app. A re-install over a live bot token keeps it, as Slack does;
   * after an uninstall or a revoke the old token stays dead and a fresh one is minted.
   */
  install(appId: string, target: InstallTarget): { installation: Installation; userToken?: string; userRefreshToken?: string } {
    const app = this.requireApp(appId);
    const org = target.isEnterpriseInstall === true;
    const ws = org ? undefined : this.ensureWorkspace(target);
    const enterpriseId = target.enterpriseId ?? ws?.enterpriseId;
    if (org && !enterpriseId) throw new Error('an enterprise install needs enterpriseId');
    const installKey = org ? enterpriseId! : ws!.teamId;
    const key = `${appId}:${installKey}`;
    let inst = this.installations.get(key);
    const live = inst && inst.installed && this.tokens.get(inst.botToken)?.status === 'active';
    if (!inst || !live) {
      const botUserId = inst?.botUserId ?? newId('U');
      const botToken = this.mint('bot', app, { teamId: ws?.teamId, enterpriseId, userId: botUserId }, app.botScopes,
        this.nextGeneration(inst?.botToken));
      inst = {
        appId, installKey, teamId: ws?.teamId, enterpriseId, isEnterpriseInstall: org,
        botToken, botUserId, botId: inst?.botId ?? newId('B'), userTokens: inst?.userTokens ?? new Map(), installed: true,
      };
      this.installations.set(key, inst);
      if (app.tokenRotation) inst.refreshToken = this.newRefresh(appId, installKey, 'bot');
    }
    let userToken: string | undefined;
    let userRefreshToken: string | undefined;
    if (target.userId && target.userScopes?.length) {
      userToken = this.mint('user', app, { teamId: ws?.teamId, enterpriseId, userId: target.userId }, target.userScopes,
        this.nextGeneration(inst.userTokens.get(target.userId)));
      inst.userTokens.set(target.userId, userToken);
      if (app.tokenRotation) userRefreshToken = this.newRefresh(appId, installKey, 'user', target.userId);
    }
    return { installation: inst, userToken, userRefreshToken };
  }

  /** Refresh-token grant: mints a new access token and rotates the refresh token (the old one dies). */
  refresh(appId: string, refreshToken: string): { token: TokenRecord; refreshToken: string; installation: Installation } | undefined {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.appId !== appId) return undefined;
    const inst = this.installations.get(`${appId}:${entry.installKey}`);
    if (!inst || !inst.installed) return undefined;
    this.refreshTokens.delete(refreshToken);
    const app = this.requireApp(appId);
    const old = entry.kind === 'bot' ? inst.botToken : inst.userTokens.get(entry.userId ?? '');
    const oldRecord = old ? this.tokens.get(old) : undefined;
    const fresh = this.mint(entry.kind, app, { teamId: inst.teamId, enterpriseId: inst.enterpriseId,
      userId: entry.kind === 'bot' ? inst.botUserId : entry.userId }, oldRecord?.scopes ?? app.botScopes, this.nextGeneration(old));
    if (entry.kind === 'bot') inst.botToken = fresh;
    else if (entry.userId) inst.userTokens.set(entry.userId, fresh);
    const next = this.newRefresh(appId, entry.installKey, entry.kind, entry.userId);
    if (entry.kind === 'bot') inst.refreshToken = next;
    return { token: this.tokens.get(fresh)!, refreshToken: next, installation: inst };
  }

  /** The record with its effective status: a rotating token past its expiry reads as expired. */
  token(token: string): TokenRecord | undefined {
    const rec = this.tokens.get(token);
    if (rec && rec.status === 'active' && rec.expiresAt !== undefined && rec.expiresAt <= this.clock.now()) {
      rec.status = 'expired';
    }
    return rec;
  }

  /** 'unknown' keeps the record (so the socket layer can still find it) but every call answers invalid_auth. */
  setTokenStatus(token: string, status: TokenStatus): TokenRecord {
    const rec = this.tokens.get(token);
    if (!rec) throw new Error('no such token');
    rec.status = status;
    return rec;
  }

  requireApp(appId: string): App {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`no such app ${appId}`);
    return app;
  }

  appByClientId(clientId: string): App | undefined {
    for (const app of this.apps.values()) if (app.clientId === clientId) return app;
    return undefined;
  }

  installation(appId: string, installKey: string): Installation | undefined {
    return this.installations.get(`${appId}:${installKey}`);
  }

  installationOfToken(rec: TokenRecord): Installation | undefined {
    return this.installations.get(`${rec.appId}:${rec.teamId ?? rec.enterpriseId ?? ''}`)
      ?? (rec.enterpriseId ? this.installations.get(`${rec.appId}:${rec.enterpriseId}`) : undefined);
  }

  /** Whether this is the token the install (or its user) holds now, not one a refresh or re-install replaced. */
  isCurrent(rec: TokenRecord): boolean {
    if (rec.kind === 'app') return this.apps.get(rec.appId)?.appToken === rec.token;
    const inst = this.installationOfToken(rec);
    if (!inst) return false;
    return rec.kind === 'bot' ? inst.botToken === rec.token : inst.userTokens.get(rec.userId ?? '') === rec.token;
  }

  installationsOfTeam(teamId: string): Installation[] {
    return [...this.installations.values()].filter((i) => i.teamId === teamId && i.installed);
  }

  installationsOfApp(appId: string): Installation[] {
    return [...this.installations.values()].filter((i) => i.appId === appId && i.installed);
  }

  private mint(kind: Exclude<TokenKind, 'app'>, app: App, who: { teamId?: string; enterpriseId?: string; userId?: string },
    scopes: readonly string[], generation: number): string {
    const token = app.tokenRotation ? newRotatingToken(kind) : kind === 'bot' ? newBotToken() : newUserToken();
    this.tokens.set(token, {
      token, kind, status: 'active', appId: app.appId, teamId: who.teamId, enterpriseId: who.enterpriseId,
      userId: who.userId, classic: app.classic, scopes, generation,
      expiresAt: app.tokenRotation ? this.clock.now() + ROTATING_TOKEN_TTL_S * 1000 : undefined,
    });
    return token;
  }

  private nextGeneration(previous: string | undefined): number {
    return (previous ? (this.tokens.get(previous)?.generation ?? 0) : 0) + 1;
  }

  private newRefresh(appId: string, installKey: string, kind: 'bot' | 'user', userId?: string): string {
    const token = newRefreshToken();
    this.refreshTokens.set(token, { appId, installKey, kind, userId });
    return token;
  }
}
