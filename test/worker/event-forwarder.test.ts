import { describe, expect, it } from 'vitest';
import { MemoryEventDedupe, MemoryMetrics } from '../../shared/adapters/memory';
import { silentLogger } from '../../shared/adapters/log';
import type { DedupeClaim, EventDedupe, LinkIdentity, Sink, SinkAnswer, SinkEvent } from '../../shared/ports';
import type { WorkerDeps } from '../../functions/worker/deps';
import type { InboundEvent, SlackConnection } from '../../functions/worker/connection/types';
import { EventForwarder } from '../../functions/worker/event-forwarder';
import { RecentDeliveries } from '../../functions/worker/recent-deliveries';

/** The memory twin, made unreachable at will: every call throws what a store timeout throws. */
class SwitchableDedupe implements EventDedupe {
  away = false;
  claims = 0;
  constructor(readonly inner = new MemoryEventDedupe({ inProgressMs: 300 })) {}
  private check(): void {
    if (this.away) throw Object.assign(new Error('store call timed out'), { name: 'TimeoutError' });
  }
  async claim(key: string, now: number): Promise<DedupeClaim> {
    this.claims += 1;
    this.check();
    return this.inner.claim(key, now);
  }
  async complete(key: string, holder: string, now: number, answer?: unknown): Promise<boolean> {
    this.check();
    return this.inner.complete(key, holder, now, answer);
  }
  async release(key: string, holder: string): Promise<void> {
    this.check();
    return this.inner.release(key, holder);
  }
  claimOnce = (key: string, now: number) => this.inner.claimOnce(key, now);
  forget = (key: string) => this.inner.forget(key);
}

/** A bot that answers each delivery when the test says so (or at once), and counts what reached it. */
class Bot implements Sink {
  readonly received: SinkEvent[] = [];
  hold = false;
  refuse = false;
  private readonly waiting: Array<() => void> = [];
  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    return events.map((event) => {
      this.received.push(event);
      const answer = (): SinkAnswer => (this.refuse ? { ok: false, reason: 'bot down' } : { ok: true, ackPayload: { text: `answer to ${String((event.payload as { trigger_id?: unknown }).trigger_id)}` } });
      if (!this.hold) return Promise.resolve(answer());
      return new Promise<SinkAnswer>((resolve) => this.waiting.push(() => resolve(answer())));
    });
  }
  release(): void {
    this.hold = false;
    for (const go of this.waiting.splice(0)) go();
  }
}

const sm: LinkIdentity = { id: 'socket:A1:0', protocol: 'socket', appId: 'A1', slot: 0 };
const rtm: LinkIdentity = { id: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1' };
let envelopes = 0;
/** A slash command, as Slack (re)delivers it: a new envelope id each time, the same trigger_id. */
const command = (trigger: string): InboundEvent => ({ kind: 'slash_commands', envelopeId: `env-${++envelopes}`, acceptsResponsePayload: true, payload: { trigger_id: trigger, command: '/ping' } });
const message = (ts: string): InboundEvent => ({ kind: 'message', payload: { type: 'message', channel: 'C1', text: 'hi', ts } });

function world(options: { fencing?: boolean } = {}) {
  const dedupe = new SwitchableDedupe();
  const bot = new Bot();
  const acks: Array<{ envelopeId: string; payload: unknown }> = [];
  const connection = { ack: (envelopeId: string, payload?: unknown) => (acks.push({ envelopeId, payload }), true) } as unknown as SlackConnection;
  const state = { fencing: options.fencing ?? false };
  const deps = { workerId: 'w1', sink: bot, dedupe, log: silentLogger, metrics: new MemoryMetrics(), clock: { now: () => Date.now() }, random: Math.random } as unknown as WorkerDeps;
  const forwarder = new EventForwarder(deps, 10, 5, { waitMs: 300, pollMs: 10, fencing: () => state.fencing });
  return { dedupe, bot, acks, connection, forwarder, state };
}

const reachedBot = (bot: Bot, trigger: string) => bot.received.filter((e) => (e.payload as { trigger_id?: unknown }).trigger_id === trigger).length;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('EventForwarder: once, from the worker\'s own memory when the store cannot be asked', () => {
  it('a redelivery arriving while the first copy is still with the bot, store away: waits and acks with the same answer', async () => {
    const w = world();
    w.dedupe.away = true;
    w.bot.hold = true;
    const first = command('t1');
    const again = command('t1');
    const one = w.forwarder.forward(sm, w.connection, first);
    await until(() => w.bot.received.length === 1);
    const two = w.forwarder.forward(sm, w.connection, again);
    w.bot.release();
    await Promise.all([one, two]);
    expect(reachedBot(w.bot, 't1')).toBe(1);
    expect(w.acks).toEqual([
      { envelopeId: first.envelopeId, payload: { text: 'answer to t1' } },
      { envelopeId: again.envelopeId, payload: { text: 'answer to t1' } },
    ]);
  });

  it('a redelivery after the first was acked, store away: acked from memory with the same answer, the store not asked', async () => {
    const w = world();
    w.dedupe.away = true;
    await w.forwarder.forward(sm, w.connection, command('t2'));
    const claims = w.dedupe.claims;
    const again = command('t2');
    await w.forwarder.forward(sm, w.connection, again);
    expect(reachedBot(w.bot, 't2')).toBe(1);
    expect(w.acks.at(-1)).toEqual({ envelopeId: again.envelopeId, payload: { text: 'answer to t2' } });
    expect(w.dedupe.claims).toBe(claims);
  });

  it('delivered without a claim while the store was away, redelivered once it answers (no record there): not delivered again', async () => {
    const w = world();
    w.dedupe.away = true;
    await w.forwarder.forward(sm, w.connection, command('t3'));
    w.dedupe.away = false;
    await w.forwarder.forward(sm, w.connection, command('t3'));
    expect(reachedBot(w.bot, 't3')).toBe(1);
    expect(w.acks).toHaveLength(2);
  });

  it('a redelivery still finding the first with the bot past the wait is left unacked; the next one is acked from memory', async () => {
    const w = world();
    w.dedupe.away = true;
    w.bot.hold = true;
    const one = w.forwarder.forward(sm, w.connection, command('t4'));
    await until(() => w.bot.received.length === 1);
    await w.forwarder.forward(sm, w.connection, command('t4')); // waits 300 ms, the bot still holds it
    expect(w.acks).toEqual([]);
    w.bot.release();
    await one;
    const third = command('t4');
    await w.forwarder.forward(sm, w.connection, third);
    expect(reachedBot(w.bot, 't4')).toBe(1);
    expect(w.acks.map((a) => a.envelopeId)).toHaveLength(2);
    expect(w.acks.at(-1)?.envelopeId).toBe(third.envelopeId);
  });

  it('a payload the bot refused is not remembered: its redelivery reaches the bot', async () => {
    const w = world();
    w.dedupe.away = true;
    w.bot.refuse = true;
    await w.forwarder.forward(sm, w.connection, command('t5'));
    expect(w.acks).toEqual([]);
    w.bot.refuse = false;
    await w.forwarder.forward(sm, w.connection, command('t5'));
    expect(reachedBot(w.bot, 't5')).toBe(2);
    expect(w.acks).toHaveLength(1);
  });

  it('an RTM event whose claim the store did not answer is delivered (a duplicate elsewhere is better than a loss)', async () => {
    const w = world();
    w.dedupe.away = true;
    await w.forwarder.forward(rtm, w.connection, message('1.000001'));
    expect(w.bot.received).toHaveLength(1);
  });
});

describe('EventForwarder while its worker fences itself: nothing it could not claim', () => {
  it('an envelope whose claim the store did not answer is neither delivered nor acked (Slack redelivers it to the holder)', async () => {
    const w = world({ fencing: true });
    w.dedupe.away = true;
    await w.forwarder.forward(sm, w.connection, command('f1'));
    expect(w.bot.received).toEqual([]);
    expect(w.acks).toEqual([]);
  });

  it('fencing that begins while the claim is out (a process resuming from a pause) is seen before delivering', async () => {
    const w = world();
    w.dedupe.away = true;
    // On resume every overdue timer runs in one turn: the claim's timeout first, then the
    // membership's deadline check, which fences.
    w.dedupe.claim = (key) =>
      new Promise<DedupeClaim>((_resolve, reject) => {
        setTimeout(() => reject(new Error(`claim of ${key} timed out`)), 20);
        setTimeout(() => (w.state.fencing = true), 20);
      });
    await w.forwarder.forward(sm, w.connection, command('f2'));
    expect(w.bot.received).toEqual([]);
  });

  it('an RTM event: the claim is tried again, and delivered once it is ours', async () => {
    const w = world({ fencing: true });
    w.dedupe.away = true;
    setTimeout(() => (w.dedupe.away = false), 15);
    await w.forwarder.forward(rtm, w.connection, message('1.000002'));
    expect(w.bot.received).toHaveLength(1);
  });

  it('an RTM event a peer delivered meanwhile is not delivered again', async () => {
    const w = world({ fencing: true });
    const key = 'A1:T1:message:C1:1.000003';
    const peer = await w.dedupe.inner.claim(key, Date.now());
    w.dedupe.away = true;
    const forwarding = w.forwarder.forward(rtm, w.connection, message('1.000003'));
    await w.dedupe.inner.complete(key, (peer as { holder: string }).holder, Date.now());
    setTimeout(() => (w.dedupe.away = false), 15);
    await forwarding;
    expect(w.bot.received).toEqual([]);
  });

  it('an RTM event whose timed-out claim landed (in progress, holder unknown): waited out, then delivered once', async () => {
    const w = world({ fencing: true });
    await w.dedupe.inner.claim('A1:T1:message:C1:1.000004', Date.now()); // our own claim, its answer lost
    w.dedupe.away = true;
    setTimeout(() => (w.dedupe.away = false), 15);
    await w.forwarder.forward(rtm, w.connection, message('1.000004'));
    expect(w.bot.received).toHaveLength(1);
  });

  it('an RTM event whose claim the store never answers is not delivered', async () => {
    const w = world({ fencing: true });
    w.dedupe.away = true;
    await w.forwarder.forward(rtm, w.connection, message('1.000005'));
    expect(w.bot.received).toEqual([]);
    expect(w.dedupe.claims).toBe(4); // the first claim and three more tries
  });
});

describe('RecentDeliveries', () => {
  it('keeps at most maxKeys, the oldest going first, and forgets a key after keepMs', () => {
    const recent = new RecentDeliveries({ maxKeys: 2, keepMs: 1_000 });
    recent.remember('a', { text: 'A' }, 0);
    recent.remember('b', undefined, 10);
    recent.remember('c', 'C', 20);
    expect(recent.size).toBe(2);
    expect(recent.find('a', 30)).toBeUndefined();
    expect(recent.find('b', 30)).toEqual({});
    expect(recent.find('c', 30)).toEqual({ answer: 'C' });
    expect(recent.find('b', 1_010)).toBeUndefined();
    recent.remember('d', 1, 1_500);
    expect(recent.size).toBe(1); // c expired on the way
  });

  it('hands back a copy of the answer, never the object it was given', () => {
    const recent = new RecentDeliveries();
    const answer = { text: 'pong' };
    recent.remember('k', answer, 0);
    answer.text = 'changed';
    expect(recent.find('k', 1)).toEqual({ answer: { text: 'pong' } });
  });
});
