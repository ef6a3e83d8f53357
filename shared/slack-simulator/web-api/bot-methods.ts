import type { SimContext } from '../context';
import { newId } from '../ids';
import type { TokenRecord } from '../model';
import type { MethodSpec } from './method-spec';
import type { ApiRequest } from './request';
import { fail, ok, type ApiResult } from './respond';

/**
 * The Web API methods a bot calls from its listeners. Each checks the token first (router), then
 * that what it names belongs to the token's workspace: a conversation (`channel_not_found`), a
 * trigger (`invalid_trigger_id`). Conversations are the ones `interactivity/channels.ts` knows.
 */

/** views.open rejects views above 250 KB (its method page). */
const MAX_VIEW_BYTES = 250 * 1024;

let tsSerial = 0;
/** Message timestamps: seconds, then six digits unique within the process. */
function messageTs(nowMs: number): string {
  tsSerial = (tsSerial + 1) % 1000;
  return `${Math.floor(nowMs / 1000)}.${String((nowMs % 1000) * 1000 + tsSerial).padStart(6, '0')}`;
}

const pick = (req: ApiRequest, keys: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const k of keys) if (req.params[k] !== undefined) out[k] = req.params[k]!;
  return out;
};

const invalidArguments = (message: string): ApiResult =>
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });

type ViewParse = { view: Record<string, unknown> } | { error: ApiResult };

function parseView(req: ApiRequest, type: 'modal' | 'home'): ViewParse {
  const raw = req.params.view;
  if (!raw) return { error: invalidArguments('missing required field: view') };
  if (Buffer.byteLength(raw) > MAX_VIEW_BYTES) return { error: fail('view_too_large') };
  let view: unknown;
  try {
    view = JSON.parse(raw);
  } catch {
    return { error: invalidArguments('failed to parse view: not JSON') };
  }
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return { error: invalidArguments('view must be an object') };
  if ((view as { type?: unknown }).type !== type) return { error: invalidArguments(`view type must be "${type}"`) };
  return { view: view as Record<string, unknown> };
}

/** The view object Slack answers with: the one sent, plus its identity and state. */
function renderedView(ctx: SimContext, token: TokenRecord, view: Record<string, unknown>): Record<string, unknown> {
  const inst = ctx.registry.installationOfToken(token);
  const id = newId('V');
  return {
    id, team_id: token.teamId ?? token.enterpriseId, callback_id: '', private_metadata: '', external_id: '',
    state: { values: {} }, hash: `${Math.floor(ctx.clock.now() / 1000)}.${id.slice(1)}`, clear_on_close: false,
    notify_on_close: false, root_view_id: id, previous_view_id: null, app_id: token.appId, bot_id: inst?.botId,
    ...view,
  };
}

function describeView(req: ApiRequest, keys: readonly string[]): Record<string, string> {
  const out = pick(req, keys);
  try {
    const view = JSON.parse(req.params.view ?? '') as { type?: unknown; callback_id?: unknown };
    if (typeof view.type === 'string') out.view_type = view.type;
    if (typeof view.callback_id === 'string') out.callback_id = view.callback_id;
  } catch {
    // An unparsable view is the call's own error; nothing to describe.
  }
  return out;
}

/** chat.postMessage: a conversation of the token's workspace and something to say. */
export const chatPostMessageSpec: MethodSpec = {
  accepted: ['chat:write', 'bot'],
  auth: { kinds: ['bot', 'user'], anyScope: ['chat:write', 'bot'] },
  rateScope: (req) => req.params.channel,
  describe: (req) => pick(req, ['channel', 'text', 'thread_ts']),
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    const channel = ctx.registry.channels.resolve(token.teamId, req.params.channel);
    if (!channel) return fail('channel_not_found');
    const { text, blocks, attachments } = req.params;
    if (!text && !blocks && !attachments) return fail('no_text');
    const inst = ctx.registry.installationOfToken(token);
    const ts = messageTs(ctx.clock.now());
    return ok({
      channel, ts,
      message: {
        type: 'message', text: text ?? '', user: token.userId, ts, team: token.teamId,
        ...(token.kind === 'bot' ? { bot_id: inst?.botId, app_id: token.appId } : {}),
        ...(req.params.thread_ts ? { thread_ts: req.params.thread_ts } : {}),
        ...(blocks ? { blocks: safeJson(blocks) } : {}),
      },
    }, token.scopes);
  },
};

/** views.open: a modal, opened with a trigger this app got in this workspace less than 3 s ago, once. */
export const viewsOpenSpec: MethodSpec = {
  accepted: [],
  auth: { kinds: ['bot', 'user'] },
  describe: (req) => describeView(req, ['trigger_id']),
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    const trigger = req.params.trigger_id ?? req.params.interactivity_pointer;
    if (!trigger) return invalidArguments('missing required field: trigger_id');
    const parsed = parseView(req, 'modal');
    if ('error' in parsed) return parsed.error;
    const outcome = ctx.triggers.exchange(trigger, token.appId, token.teamId);
    if (outcome !== 'ok') return fail(outcome);
    return ok({ view: renderedView(ctx, token, parsed.view) }, token.scopes);
  },
};

/** views.publish: a Home tab view for one user. */
export const viewsPublishSpec: MethodSpec = {
  accepted: [],
  auth: { kinds: ['bot', 'user'] },
  describe: (req) => describeView(req, ['user_id']),
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    if (!req.params.user_id) return invalidArguments('missing required field: user_id');
    const parsed = parseView(req, 'home');
    if ('error' in parsed) return parsed.error;
    return ok({ view: renderedView(ctx, token, parsed.view) }, token.scopes);
  },
};

/** reactions.add: once per user, emoji and message, in a conversation of the token's workspace. */
export const reactionsAddSpec: MethodSpec = {
  accepted: ['reactions:write', 'bot'],
  auth: { kinds: ['bot', 'user'], anyScope: ['reactions:write', 'bot'] },
  describe: (req) => pick(req, ['channel', 'timestamp', 'name']),
  handle: (ctx, req, token) => {
    if (!token) return fail('invalid_auth');
    const { timestamp, name } = req.params;
    if (!req.params.channel || !timestamp) return fail('no_item_specified');
    if (!name) return fail('invalid_name');
    if (!/^\d+\.\d+$/.test(timestamp)) return fail('bad_timestamp');
    const channel = ctx.registry.channels.resolve(token.teamId, req.params.channel);
    if (!channel) return fail('channel_not_found');
    if (!ctx.registry.channels.react(channel, timestamp, name.replace(/:/g, ''), token.userId ?? '')) return fail('already_reacted');
    return ok({}, token.scopes);
  },
};

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
