import type { HttpDeps } from './deps';
import { handleEvents } from './events-route';
import { handleInstall } from './install-route';
import { handleCommand, handleInteraction } from './interaction-routes';
import { handleOAuthRedirect } from './oauth-redirect-route';
import { renderPage } from './pages';
import { text, type HttpHandler, type HttpRequest, type HttpResponse } from './types';

/**
 * The OAuth, Events, commands and interactivity endpoints as one framework-free handler. Every answer is built here; the
 * Lambda and `node:http` adapters only translate shapes. An unexpected error never leaks its
 * message to the caller.
 */
export function makeHandler(deps: HttpDeps): HttpHandler {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    try {
      return await route(deps, request);
    } catch (error) {
      deps.log.error('request failed', { path: request.path, error });
      return request.path === '/slack/oauth_redirect' ? renderPage('server_error') : text(500, 'internal error');
    }
  };
}

async function route(deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> {
  const get = request.method === 'GET' || request.method === 'HEAD';
  switch (request.path) {
    case '/slack/install':
      return get ? handleInstall(deps, request) : text(405, 'method not allowed', { allow: 'GET' });
    case '/slack/oauth_redirect':
      return get ? handleOAuthRedirect(deps, request) : text(405, 'method not allowed', { allow: 'GET' });
    case '/slack/events':
      return handleEvents(deps, request);
    case '/slack/commands':
      return handleCommand(deps, request);
    case '/slack/interactive':
      return handleInteraction(deps, request);
    default:
      return text(404, 'not found');
  }
}
