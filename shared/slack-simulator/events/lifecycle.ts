import type { SimCore } from '../sim-core';
import type { EventHub } from './event-hub';
import type { Installation, TokenRecord, TokenStatus } from '../model';

/**
 * What follows when a token stops working or an app is uninstalled: live sockets opened with the
 * token end, and the app hears `tokens_revoked` and `app_uninstalled` in either order
 * (SLACK-PROTOCOL §4.1).
 */
export class Lifecycle {
  constructor(
    private readonly ctx: SimCore,
    private readonly events: EventHub,
  ) {}

  /** Sets a status; any non-active status ends the token's live sockets. */
  setTokenStatus(token: string, status: TokenStatus): TokenRecord {
    const rec = this.ctx.registry.setTokenStatus(token, status);
    if (status !== 'active') this.endSocketsOf(token, `token_${status}`);
    return rec;
  }

  /** Full uninstall: every token of the install dies, then both events go out. */
  uninstall(inst: Installation): void {
    if (!inst.installed) return;
    const policy = this.ctx.options.tokens.afterUninstall;
    const bot = this.kill(inst.botToken, policy.bot) ? [inst.botUserId] : [];
    const oauth = [...inst.userTokens].filter(([, t]) => this.kill(t, policy.user)).map(([u]) => u);
    inst.installed = false;
    this.announce(inst, { oauth, bot }, true);
  }

  /** `auth.revoke` of one token; the app counts as uninstalled once no token of the install is left. */
  revoke(rec: TokenRecord): void {
    const inst = this.ctx.registry.installationOfToken(rec);
    const policy = this.ctx.options.tokens.afterRevoke;
    this.kill(rec.token, rec.kind === 'user' ? policy.user : policy.bot);
    if (!inst || !inst.installed) return;
    const tokens = rec.kind === 'bot' ? { oauth: [], bot: [rec.userId ?? inst.botUserId] } : { oauth: [rec.userId ?? ''], bot: [] };
    const anyLeft = [inst.botToken, ...inst.userTokens.values()]
      .some((t) => this.ctx.registry.token(t)?.status === 'active');
    if (!anyLeft) inst.installed = false;
    this.announce(inst, tokens, !anyLeft);
  }

  private kill(token: string, status: TokenStatus): boolean {
    const rec = this.ctx.registry.token(token);
    if (!rec || rec.status !== 'active') return false;
    this.setTokenStatus(token, status);
    return true;
  }

  private announce(inst: Installation, tokens: { oauth: string[]; bot: string[] }, uninstalled: boolean): void {
    const app = this.ctx.registry.requireApp(inst.appId);
    const revoked = { type: 'tokens_revoked', tokens };
    const gone = { type: 'app_uninstalled' };
    const order = this.ctx.options.uninstallEventOrder;
    const appFirst = order === 'app_uninstalled_first' || (order === 'random' && Math.random() < 0.5);
    const events = !uninstalled ? [revoked] : appFirst ? [gone, revoked] : [revoked, gone];
    // Lifecycle events reach the app over Socket Mode or HTTP, never over the bot's RTM socket.
    const via = app.socketMode ? (['socket_mode'] as const) : (['http'] as const);
    for (const event of events) this.events.deliver(app, inst, inst.teamId, event, { via: [...via] });
  }

  private endSocketsOf(token: string, reason: string): void {
    const policy = this.ctx.options.tokens.socketOnDisable;
    for (const s of this.ctx.sockets.select({ token })) {
      s.markEnding('server', reason);
      if (policy.action === 'drop') s.drop();
      else s.close(policy.code);
    }
  }
}
