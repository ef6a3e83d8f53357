import type { HttpDeps } from './deps';
import { isLocalhost, issueState, stateCookie } from './oauth-state';
import type { HttpRequest, HttpResponse } from './types';

const TEAM_HINT = /^[TE][A-Z0-9]{2,20}$/;

/** `GET /slack/install`: a fresh signed state, in the cookie and the query, and off to Slack. */
export function handleInstall(deps: HttpDeps, request: HttpRequest): HttpResponse {
  const { config } = deps;
  const state = issueState(config.stateSecret, deps.clock.now());
  const target = new URL(config.authorizeUrl);
  target.searchParams.set('scope', config.scopes.join(','));
  if (config.userScopes.length > 0) target.searchParams.set('user_scope', config.userScopes.join(','));
  target.searchParams.set('client_id', config.clientId);
  target.searchParams.set('redirect_uri', config.redirectUri);
  target.searchParams.set('state', state);
  // "Add to Slack" from a workspace's own page may preselect it (SLACK-PROTOCOL §4.4 `team`).
  const team = request.query.get('team');
  if (team && TEAM_HINT.test(team)) target.searchParams.set('team', team);
  return {
    status: 302,
    headers: {
      location: target.toString(),
      'set-cookie': stateCookie(state, !isLocalhost(config.redirectUri)),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: '',
  };
}
