import { deliverToBot, installationState, type HttpDelivery } from './bot-delivery';
import type { HttpDeps } from './deps';
import { refuseUnsigned } from './signed-request';
import { json, text, type HttpRequest, type HttpResponse } from './types';

type Payload = Record<string, unknown>;
type Parsed = { ok: true; teamId: string | undefined; appId: string | undefined; payload: Payload } | { ok: false; reason: string };

const FORM = 'application/x-www-form-urlencoded';
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `POST /slack/commands` and `POST /slack/interactive`, a classic app's Request URLs for slash
 * commands and interactivity: form-encoded (command fields; `payload=<json>`), signed like
 * events. The bot's ack payload is the 200 body (Slack shows it: a command's `{ text }`, a
 * submission's `response_action`), within Slack's 3 s.
 *
 * A refused or late answer is 503, never an empty 200: Slack never retries these, and an
 * empty 200 means "accepted" (a submitted modal closes as if it were saved, a command ends
 * silently), while an error status makes Slack show the user that the app failed (a modal
 * stays open with its input), which is the truth. Likewise for a team Lifeline holds no active
 * installation of (the bot could not call Slack for it) and for a deployment with no sink.
 */
export const handleCommand = (deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> => handleForm(deps, request, 'slash_commands', parseCommand);
export const handleInteraction = (deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> => handleForm(deps, request, 'interactive', parseInteraction);

async function handleForm(deps: HttpDeps, request: HttpRequest, kind: HttpDelivery['kind'], parse: (form: URLSearchParams) => Parsed): Promise<HttpResponse> {
  const { log } = deps;
  const what = kind === 'slash_commands' ? 'command' : 'interaction';
  const refused = refuseUnsigned(deps, request, what);
  // Slack's SSL check (`ssl_check=1`) comes unsigned and wants a 200; nothing is delivered.
  if (refused?.status === 401 && new URLSearchParams(request.body).get('ssl_check') === '1') return text(200, '');
  if (refused) return refused;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== FORM) {
    log.warn(`${what} refused`, { reason: 'not_a_form', contentType });
    return text(400, `expected ${FORM}`);
  }
  const parsed = parse(new URLSearchParams(request.body));
  if (!parsed.ok) {
    log.warn(`${what} refused`, { reason: parsed.reason });
    return text(400, `malformed ${what}: ${parsed.reason}`);
  }
  const { teamId, payload } = parsed;
  if (parsed.appId !== undefined && parsed.appId !== deps.config.appId) {
    log.warn(`${what} for another app refused`, { appId: parsed.appId });
    return text(400, 'not this app');
  }
  if ((await installationState(deps, teamId)) !== 'active') {
    log.warn(`${what} from a team without an active installation; answered 503`, { teamId });
    return text(503, 'this workspace has no active installation of the app');
  }
  const outcome = await deliverToBot(deps, { kind, teamId, payload });
  switch (outcome.kind) {
    case 'answered':
      return answer(outcome.ackPayload);
    case 'no_bot':
      log.error(`${what} with no bot to answer it; answered 503`, { teamId });
      return text(503, 'no bot is configured to answer');
    case 'refused':
      deps.metrics.put('SinkFailures', 1, { Protocol: deps.config.protocol });
      log.error(`the bot refused a ${what}; answered 503 (Slack shows the user an error)`, { teamId, reason: outcome.reason });
      return text(503, 'the app could not answer');
    case 'duplicate':
      // Not reached: commands and interactions are delivered without a dedupe key.
      return text(200, '');
    case 'late':
      deps.metrics.put('SinkFailures', 1, { Protocol: deps.config.protocol });
      log.error(`the bot did not answer a ${what} in time; answered 503 (Slack shows the user an error)`, { teamId });
      return text(503, 'the app did not answer in time');
  }
}

/** What the listener passed to `ack(...)`: nothing (an empty 200), a string (Slack takes text), or JSON. */
function answer(ackPayload: unknown): HttpResponse {
  if (ackPayload === undefined || ackPayload === null || ackPayload === '') return text(200, '');
  if (typeof ackPayload === 'string') return text(200, ackPayload);
  return json(200, ackPayload);
}

/** A slash command's form fields, as Bolt's HTTP receiver hands them to `processEvent`. */
function parseCommand(form: URLSearchParams): Parsed {
  const payload: Payload = Object.fromEntries(form);
  const command = str(payload.command);
  if (!command?.startsWith('/')) return { ok: false, reason: 'no command' };
  const teamId = str(payload.team_id);
  if (!teamId) return { ok: false, reason: 'no team_id' };
  return { ok: true, teamId, appId: str(payload.api_app_id), payload };
}

/** An interaction's `payload` field, parsed: what Bolt's HTTP receiver hands to `processEvent`. */
function parseInteraction(form: URLSearchParams): Parsed {
  const raw = form.get('payload');
  if (!raw) return { ok: false, reason: 'no payload field' };
  let payload: Payload;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'payload is not a JSON object' };
    payload = value as Payload;
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (!str(payload.type)) return { ok: false, reason: 'payload has no type' };
  const team = payload.team as { id?: unknown } | null | undefined;
  const user = payload.user as { team_id?: unknown } | null | undefined;
  const teamId = str(team?.id) ?? str(user?.team_id);
  if (!teamId) return { ok: false, reason: 'payload names no team' };
  return { ok: true, teamId, appId: str(payload.api_app_id), payload };
}
