import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { CallbackSink } from '../../shared/adapters/memory';
import { gatedSink, lifecycleSinkEvent, ParkGate } from '../../shared/app';
import type { SinkEvent } from '../../shared/ports';

// The park gate's rule, on its own: refused = received at or after the first park of its link
// or its team's installation; Slack's lifecycle events and Lifeline's notices always pass.

const event = (over: Partial<SinkEvent> = {}): SinkEvent => ({ id: `e${Math.random()}`, linkId: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1', kind: 'message', payload: {}, receivedAt: 1_000, ...over });

describe('ParkGate', () => {
  it('refuses what a parked link received at or after its park, not before, and lets it through once written live again', () => {
    const gate = new ParkGate();
    gate.linkWritten({ id: 'rtm:A1:T1', state: 'inactive', updatedAt: 1_000 });
    gate.linkWritten({ id: 'rtm:A1:T1', state: 'revoked', updatedAt: 5_000 }); // a later park does not move the first
    expect(gate.refusal(event({ receivedAt: 999 }))).toBeUndefined();
    expect(gate.refusal(event({ receivedAt: 1_000 }))).toBe('link rtm:A1:T1 parked');
    expect(gate.refusal(event({ receivedAt: 2_000, linkId: 'rtm:A1:T2', teamId: 'T2' }))).toBeUndefined();
    gate.linkWritten({ id: 'rtm:A1:T1', state: 'connecting', updatedAt: 6_000 });
    expect(gate.refusal(event({ receivedAt: 7_000 }))).toBeUndefined();
    expect(gate.size).toBe(0);
  });

  it('refuses a parked Socket Mode team\'s events on the app\'s pool link, by its installation', () => {
    const gate = new ParkGate();
    gate.installationWritten({ appId: 'A1', installId: 'T1', active: false, parkedAt: 1_000, updatedAt: 1_000 });
    const onPool = (teamId: string, receivedAt: number) => event({ linkId: 'sm:A1:0', protocol: 'socket', kind: 'events_api', teamId, receivedAt });
    expect(gate.refusal(onPool('T1', 1_500))).toBe('installation A1/T1 parked');
    expect(gate.refusal(onPool('T2', 1_500))).toBeUndefined();
    expect(gate.refusal(onPool('T1', 500))).toBeUndefined();
    gate.installationWritten({ appId: 'A1', installId: 'T1', active: true, updatedAt: 2_000 });
    expect(gate.refusal(onPool('T1', 2_500))).toBeUndefined();
  });

  it('always lets through Slack\'s app_uninstalled / tokens_revoked and Lifeline\'s notices', () => {
    const gate = new ParkGate();
    gate.linkWritten({ id: 'sm:A1:0', state: 'revoked', updatedAt: 1_000 });
    const slack = (type: string) => event({ linkId: 'sm:A1:0', kind: 'events_api', payload: { type: 'event_callback', event: { type } }, receivedAt: 2_000 });
    expect(gate.refusal(slack('tokens_revoked'))).toBeUndefined();
    expect(gate.refusal(slack('app_uninstalled'))).toBeUndefined();
    expect(gate.refusal(slack('message'))).toBe('link sm:A1:0 parked');
    const notice = lifecycleSinkEvent({ kind: 'lifeline_parked', appId: 'A1', protocol: 'socket', reason: 'invalid_auth', linkIds: ['sm:A1:0'] }, 2_000);
    expect(gate.refusal(notice)).toBeUndefined();
  });

  it('as a sink: refused events are answered ok without reaching the bot; the rest keep their places', async () => {
    const gate = new ParkGate();
    gate.linkWritten({ id: 'rtm:A1:T1', state: 'revoked', updatedAt: 1_000 });
    const reached: string[] = [];
    const sink = gatedSink(CallbackSink.perEvent((e) => void reached.push(e.id)), gate, silentLogger);
    const batch = [event({ id: 'old', receivedAt: 500 }), event({ id: 'new', receivedAt: 1_500 }), event({ id: 'other', linkId: 'rtm:A1:T2', teamId: 'T2', receivedAt: 1_500 })];
    const answers = await Promise.all(sink.deliver(batch));
    expect(answers.map((a) => a.ok)).toEqual([true, true, true]);
    expect(reached).toEqual(['old', 'other']);
  });
});
