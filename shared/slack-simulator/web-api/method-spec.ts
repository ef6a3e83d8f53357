import type { SimContext } from '../context';
import type { TokenRecord } from '../model';
import type { AuthRule } from './authenticate';
import type { ApiRequest } from './request';
import type { ApiResult } from './respond';

/** One Web API method: who may call it, which scopes it advertises, and what it does. */
export interface MethodSpec {
  /** X-Accepted-OAuth-Scopes */
  accepted: readonly string[];
  /** Token rule; absent for methods authenticated by client credentials (oauth.v2.access). */
  auth?: AuthRule;
  /** Rate-limit key for methods without a token (default: the token's app and workspace). */
  rateKey?: (req: ApiRequest) => string;
  /** A finer rate-limit unit inside the app+workspace (chat.postMessage counts per channel). */
  rateScope?: (req: ApiRequest) => string | undefined;
  /** What ground truth keeps of the call's arguments (never a token or a secret). */
  describe?: (req: ApiRequest) => Record<string, string>;
  handle(ctx: SimContext, req: ApiRequest, token: TokenRecord | undefined): ApiResult | Promise<ApiResult>;
}
