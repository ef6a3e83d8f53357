import { completeInstall, InvalidInstallError, type InstallOutcome } from '../../shared/app';
import { classifySlackError } from '../../shared/domain';
import { SlackApiError } from '../../shared/ports';
import type { HttpDeps } from './deps';
import { clearStateCookie, isLocalhost, readCookie, STATE_COOKIE, verifyState } from './oauth-state';
import { renderPage, type PageKind } from './pages';
import type { HttpRequest, HttpResponse } from './types';

/** Slack errors that mean "this code will never work": the person must start again. */
const CODE_ERRORS = new Set(['invalid_code', 'code_already_used', 'bad_redirect_uri', 'oauth_authorization_url_mismatch']);

/**
 * `GET /slack/oauth_redirect`, checks in SLACK-PROTOCOL §4.4's order: the user's answer, state in
 * the query and the cookie and equal, signature, expiry, single use; only then `oauth.v2.access`.
 * The cookie is cleared on every answer. Nothing is written before the state is consumed, and
 * nothing but the state claim before Slack accepts the code.
 */
export async function handleOAuthRedirect(deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> {
  const outcome = await decide(deps, request);
  const response = renderPage(outcome.page, { ...(outcome.team === undefined ? {} : { team: outcome.team }), ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) });
  response.headers['set-cookie'] = clearStateCookie(!isLocalhost(deps.config.redirectUri));
  return response;
}

interface Decision {
  page: PageKind;
  team?: string;
  /** Slack's error, shown on the `cannot_connect` page. */
  reason?: string;
}

async function decide(deps: HttpDeps, request: HttpRequest): Promise<Decision> {
  const { config, log } = deps;
  const now = deps.clock.now();
  const error = request.query.get('error');
  if (error !== null) {
    log.info('install not approved', { error: error.slice(0, 64) });
    return { page: 'cancelled' };
  }
  const state = request.query.get('state');
  const cookie = readCookie(request.headers.cookie, STATE_COOKIE);
  if (!state || !cookie) return refuse(deps, 'state_missing', 'invalid_request');
  if (state !== cookie) return refuse(deps, 'state_cookie_mismatch', 'invalid_request');
  const verdict = verifyState(config.stateSecret, state, now);
  if (!verdict.ok) return refuse(deps, `state_${verdict.reason}`, verdict.reason === 'expired' ? 'expired' : 'invalid_request');
  if (!(await deps.dedupe.claimOnce(`oauth-state:${verdict.id}`, now))) return refuse(deps, 'state_reused', 'invalid_request');
  const code = request.query.get('code');
  if (!code) return refuse(deps, 'code_missing', 'invalid_request');

  let access;
  try {
    access = await deps.oauth.oauthV2Access(
      { clientId: config.clientId, clientSecret: config.clientSecret },
      { grantType: 'authorization_code', code, redirectUri: config.redirectUri },
    );
  } catch (err) {
    const slackError = err instanceof SlackApiError ? err.error : 'network_error';
    log.warn('oauth.v2.access failed', { error: slackError });
    return { page: CODE_ERRORS.has(slackError) ? 'code_rejected' : 'slack_unavailable' };
  }
  const team = access.isEnterpriseInstall ? access.enterprise?.name : access.team?.name;
  const refused = await socketRefusal(deps, access.accessToken);
  if (refused) {
    log.warn('install refused: its token cannot open the socket', { appId: config.appId, protocol: config.protocol, error: refused });
    return { page: 'cannot_connect', reason: refused, ...(team === undefined ? {} : { team }) };
  }
  try {
    const result = await completeInstall(deps, { appId: config.appId, protocol: config.protocol }, access);
    log.info('installation stored', {
      appId: config.appId,
      installId: result.installation.installId,
      outcome: result.outcome,
      tokenVersion: result.installation.tokenVersion,
      rotating: result.installation.refreshTokenCiphertext !== undefined,
    });
    return { page: pageFor(result.outcome), ...(team === undefined ? {} : { team }) };
  } catch (err) {
    if (err instanceof InvalidInstallError) return refuse(deps, err.reason, 'invalid_request');
    log.error('install could not be completed', { appId: config.appId, error: err });
    return { page: 'server_error' };
  }
}

/**
 * An RTM install's token, tried once with `rtm.connect` (its URL is not opened; it expires in 30 s):
 * Slack's error when the token can never hold the socket (the link would only park), else undefined.
 * A transient failure (rate limit, Slack down) is not a refusal: the install goes on and the link retries.
 */
async function socketRefusal(deps: HttpDeps, token: string): Promise<string | undefined> {
  if (deps.config.protocol !== 'rtm' || !deps.rtm) return undefined;
  try {
    await deps.rtm.rtmConnect(token);
    return undefined;
  } catch (err) {
    if (!(err instanceof SlackApiError)) return undefined;
    const kind = classifySlackError(err.error);
    return kind === 'inactive' || kind === 'revoked' ? err.error : undefined;
  }
}

const pageFor = (outcome: InstallOutcome): PageKind => (outcome === 'reactivated' ? 'reinstalled' : 'installed');

function refuse(deps: HttpDeps, reason: string, page: PageKind): Decision {
  deps.log.warn('install callback refused', { reason });
  return { page };
}
