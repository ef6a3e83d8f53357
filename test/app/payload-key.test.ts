import { describe, expect, it } from 'vitest';
import { eventCallbackKey, payloadKey } from '../../shared/app/payload-key';

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

  it("keys a Socket Mode envelope as the worker always did: its event id, else its envelope id", () => {
    expect(payloadKey({ appId: 'A1', kind: 'events_api', payload: callback(message, 'Ev5'), envelopeId: 'E1' })).toBe('A1:Ev5');
    expect(payloadKey({ appId: 'A1', kind: 'slash_commands', payload: { command: '/ping' }, envelopeId: 'E2' })).toBe('A1:env:E2');
  });
});
