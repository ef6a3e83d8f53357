import { describe, expect, it } from 'vitest';
import { eventCallbackKey, payloadDigest, payloadKey } from '../../shared/app/payload-key';

// One key per payload, whichever way it came: the RTM copy of a message and its Events API copy
// must claim the same key, or a classic app with an Events URL gets the message twice.

const message = { type: 'message', text: 'hello', user: 'U1', channel: 'C1', ts: '1700000000.000100' };
const callback = (event: Record<string, unknown>, eventId = 'Ev1') => ({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: eventId, event });

describe('payload keys', () => {
  it("gives a message's RTM copy and its Events API copy the same key, whatever their event ids", () => {
    const rtm = payloadKey({ appId: 'A1', teamId: 'T1', kind: 'message', payload: message });
    expect(rtm).toBe('A1:T1:message:C1:1700000000.000100');
    expect(eventCallbackKey('A1', 'T1', callback(message, 'Ev1'))).toBe(rtm);
    expect(eventCallbackKey('A1', 'T1', callback(message, 'Ev2'))).toBe(rtm);
  });

  it('keeps apart what differs: the team, the event type (a mention of the same message), the channel, the ts', () => {
    const key = eventCallbackKey('A1', 'T1', callback(message));
    expect(eventCallbackKey('A1', 'T2', callback(message))).not.toBe(key);
    expect(eventCallbackKey('A1', 'T1', callback({ ...message, type: 'app_mention' }))).not.toBe(key);
    expect(eventCallbackKey('A1', 'T1', callback({ ...message, channel: 'C2' }))).not.toBe(key);
    expect(eventCallbackKey('A1', 'T1', callback({ ...message, ts: '1700000000.000200' }))).not.toBe(key);
  });

  it('falls back to event_ts, then (over HTTP) to the event id, and has no key for what carries nothing stable', () => {
    const reaction = { type: 'reaction_added', user: 'U1', reaction: 'tada', event_ts: '1700000000.000300' };
    expect(payloadKey({ appId: 'A1', teamId: 'T1', kind: 'reaction_added', payload: reaction })).toBe('A1:T1:reaction_added::1700000000.000300');
    expect(eventCallbackKey('A1', 'T1', callback(reaction))).toBe('A1:T1:reaction_added::1700000000.000300');
    expect(eventCallbackKey('A1', 'T1', callback({ type: 'app_uninstalled' }, 'Ev9'))).toBe('A1:Ev9');
    expect(eventCallbackKey('A1', 'T1', { type: 'event_callback' })).toBeUndefined();
    expect(payloadKey({ appId: 'A1', teamId: 'T1', kind: 'user_typing', payload: { type: 'user_typing', channel: 'C1' } })).toBeUndefined();
  });
});

// Socket Mode: keyed by what a redelivery keeps, never by the envelope id (a redelivery may carry a new one).
const socketModePayloadKey = (appId: string, kind: string, payload: Record<string, unknown>) => payloadKey({ appId, kind, payload, envelopeId: 'e-any' });
const rtmPayloadKey = (appId: string, teamId: string, kind: string, payload: Record<string, unknown>) => payloadKey({ appId, teamId, kind, payload });

describe('the dedupe key of a Slack payload', () => {
  it('keys an Events API payload by its event_id, whatever envelope carries it', () => {
    expect(socketModePayloadKey('A1', 'events_api', { event_id: 'Ev1', event: { type: 'app_mention' } })).toBe('A1:Ev1');
    expect(payloadKey({ appId: 'A1', kind: 'events_api', payload: { event_id: 'Ev1' }, envelopeId: 'e-other' })).toBe('A1:Ev1');
  });

  it('never keys a command or an interaction by its envelope id: a redelivery under a new one gets the same key', () => {
    const payload = { command: '/ping', trigger_id: 't.9' };
    expect(payloadKey({ appId: 'A1', kind: 'slash_commands', payload, envelopeId: 'e-1' })).toBe(payloadKey({ appId: 'A1', kind: 'slash_commands', payload, envelopeId: 'e-2' }));
    expect(payloadKey({ appId: 'A1', kind: 'slash_commands', payload, envelopeId: 'e-1' })).not.toContain('e-1');
  });

  it('keys commands and interactions by trigger_id, apart from each other and from other apps', () => {
    expect(socketModePayloadKey('A1', 'slash_commands', { command: '/ping', trigger_id: 't.1' })).toBe('A1:cmd:t.1');
    expect(socketModePayloadKey('A1', 'interactive', { type: 'block_actions', trigger_id: 't.1' })).toBe('A1:int:t.1');
    expect(socketModePayloadKey('A2', 'slash_commands', { command: '/ping', trigger_id: 't.1' })).toBe('A2:cmd:t.1');
  });

  it('keys an interaction without a trigger_id by a digest that ignores key order and response URLs', () => {
    const payload = { type: 'block_suggestion', action_id: 'pick', value: 'ab', user: { id: 'U1', name: 'u' }, response_url: 'https://x/1' };
    const resent = { response_url: 'https://x/2', user: { name: 'u', id: 'U1' }, value: 'ab', action_id: 'pick', type: 'block_suggestion' };
    const key = socketModePayloadKey('A1', 'interactive', payload);
    expect(key).toMatch(/^A1:int:sha256:[\w-]{43}$/);
    expect(socketModePayloadKey('A1', 'interactive', resent)).toBe(key);
  });

  it('tells two real actions apart: any other difference changes the digest', () => {
    const base = { type: 'block_suggestion', action_id: 'pick', value: 'ab' };
    expect(payloadDigest({ ...base, value: 'abc' })).not.toBe(payloadDigest(base));
    expect(payloadDigest({ ...base, nested: { response_url: 'kept below the top' } })).not.toBe(payloadDigest(base));
    expect(payloadDigest({ list: [1, 2] })).not.toBe(payloadDigest({ list: [2, 1] }));
  });

  it('keys an RTM message by team, kind, channel and ts, and gives none for a frame without ts', () => {
    expect(rtmPayloadKey('A1', 'T1', 'message', { channel: 'C1', ts: '1.000100' })).toBe('A1:T1:message:C1:1.000100');
    expect(rtmPayloadKey('A1', 'T1', 'reaction_added', { event_ts: '2.0' })).toBe('A1:T1:reaction_added::2.0');
    expect(rtmPayloadKey('A1', 'T1', 'presence_change', { user: 'U1' })).toBeUndefined();
  });
});
