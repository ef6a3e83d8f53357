import { randomBytes } from 'node:crypto';
import type { BodyReadOptions } from '../../shared/http';
import type { HttpDeps, SlackAppConfig } from '../http/deps';
import { makeHandler } from '../http/handler';
import { EMBEDDED_ANSWER_WITHIN_MS, serveHttpRequest } from '../http/node-server';
import type { RouteHook } from './status/server';

/** The app whose installs `/slack/*` takes, as the embedded mode knows it before the server listens. */
export type EmbeddedSlackApp = Omit<SlackAppConfig, 'redirectUri' | 'stateSecret'> & { redirectUri?: string };

/**
 * Mounts the OAuth, Events, commands and interactivity handler (`functions/http`) on the
 * embedded server, served by the shipped `node:http` adapter (`serveHttpRequest`: bounded body,
 * handler, answer). The embedded answer budget holds: lifecycle work gets 2 s, so a failed park
 * answers 500 and Slack retries, and slower work answers 200 and finishes after; the bot (`deps.sink`,
 * the workers' sink) gets 2.5 s. The redirect URI is this server's own unless configured; the
 * state secret is fresh per run, since a state lives only minutes.
 */
export function slackRoutes(app: EmbeddedSlackApp, deps: Omit<HttpDeps, 'config' | 'answerWithinMs'>, baseUrl: () => string, body: BodyReadOptions = {}): RouteHook {
  let handler: ReturnType<typeof makeHandler> | undefined;
  const stateSecret = randomBytes(32).toString('base64url');
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/slack/')) return false;
    handler ??= makeHandler({ ...deps, answerWithinMs: EMBEDDED_ANSWER_WITHIN_MS, config: { ...app, stateSecret, redirectUri: app.redirectUri ?? `${baseUrl()}/slack/oauth_redirect` } });
    // Size and time bound (`shared/http`): a refused body is answered and counted there.
    await serveHttpRequest(handler, req, res, url, { log: deps.log, ...body });
    return true;
  };
}
