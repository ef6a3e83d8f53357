import type { Clock } from '../clock';
import { newCode } from '../ids';
import type { InstallTarget } from '../registry';

/** How the next visits to `/oauth/v2/authorize` behave (a stand-in for the user clicking). */
export interface AuthorizeBehaviour {
  /** Install into this team; default: the `team` query parameter, else a new workspace. */
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** Org-wide install: the response carries `team: null` and `is_enterprise_install: true`. */
  isEnterpriseInstall?: boolean;
  /** The installing user (gets a user token when `user_scope` is asked). */
  userId?: string;
  /** The user clicks "Cancel": redirect with `error=access_denied`. */
  deny?: boolean;
}

export interface AuthCode {
  readonly code: string;
  readonly appId: string;
  readonly target: InstallTarget;
  readonly redirectUri?: string;
  readonly expiresAt: number;
  used: boolean;
}

// Slack's codes are short-lived; ten minutes is the documented upper bound.
const CODE_TTL_MS = 10 * 60_000;

export class OAuthCodes {
  behaviour: AuthorizeBehaviour = {};
  private readonly codes = new Map<string, AuthCode>();

  constructor(private readonly clock: Clock) {}

  issue(appId: string, target: InstallTarget, redirectUri: string | undefined): AuthCode {
    const code: AuthCode = { code: newCode(), appId, target, redirectUri, expiresAt: this.clock.now() + CODE_TTL_MS, used: false };
    this.codes.set(code.code, code);
    return code;
  }

  /** Single use: a second exchange of the same code fails even if the first one failed. */
  redeem(code: string): AuthCode | undefined {
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresAt < this.clock.now()) return undefined;
    c.used = true;
    return c;
  }
}
