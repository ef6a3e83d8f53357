import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../shared/config';
import { CallbackSink } from '../../shared/adapters/memory';
import { deliverAll, type SinkEvent } from '../../shared/ports';
import { readEmbeddedConfig } from '../../functions/embedded/config';
import { loadEventHandler } from '../../functions/embedded/event-handler';

const dir = mkdtempSync(join(tmpdir(), 'lifeline-handler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeModule = (name: string, source: string): string => {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
};
const event: SinkEvent = { id: 'A1:Ev1', linkId: 'sm:A1:0', protocol: 'socket', appId: 'A1', teamId: 'T1', kind: 'events_api', payload: { event_id: 'Ev1' }, receivedAt: 1 };

describe('the embedded bot handler (LIFELINE_HANDLER)', () => {
  it('calls the default export with each batch', async () => {
    const path = writeModule('default.mjs', 'export const seen = []; export default async (events) => { seen.push(...events.map((e) => e.id)); };');
    const handle = await loadEventHandler({ path, timeoutMs: 100 });
    await deliverAll(new CallbackSink(handle), [event]);
    const loaded = (await import(path)) as { seen: string[] };
    expect(loaded.seen).toEqual(['A1:Ev1']);
  });

  it('takes a `handleEvents` export when there is no default', async () => {
    const path = writeModule('named.mjs', 'export const seen = []; export function handleEvents(events) { seen.push(events.length); }');
    await deliverAll(new CallbackSink(await loadEventHandler({ path, timeoutMs: 100 })), [event, { ...event, id: 'A1:Ev2' }]);
    expect(((await import(path)) as { seen: number[] }).seen).toEqual([2]);
  });

  it('takes a `handleEvent` export per event, whose answer is the ack payload', async () => {
    const path = writeModule('each.mjs', "export function handleEvent(e) { return e.kind === 'slash_commands' ? { ackPayload: { text: 'pong' } } : undefined; }");
    const sink = new CallbackSink(await loadEventHandler({ path, timeoutMs: 100 }));
    const answers = await Promise.all(sink.deliver([event, { ...event, id: 'A1:env:E2', kind: 'slash_commands' }]));
    expect(answers).toEqual([{ ok: true }, { ok: true, ackPayload: { text: 'pong' } }]);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.mjs'), 'no such file'],
    ['a module without a handler function', () => writeModule('none.mjs', 'export const handleEvents = 42;'), 'export a function as default or as `handleEvents`'],
    ['a module that throws while loading', () => writeModule('broken.mjs', "throw new Error('bot config missing');"), 'the module failed to load: bot config missing'],
  ])('refuses %s with the key and the path named', async (_, path, why) => {
    const file = path();
    const error = await loadEventHandler({ path: file, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringContaining(`LIFELINE_HANDLER (${file}): ${why}`)]);
  });

  it('loads the documented example, which prints one line per event', async () => {
    const handle = await loadEventHandler({ path: join(process.cwd(), 'docs/examples/print-events.mjs'), timeoutMs: 100 });
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await deliverAll(new CallbackSink(handle), [
        { ...event, payload: { event_id: 'Ev1', event: { type: 'app_mention', text: 'hi there' } } },
        { id: 'A2:T2:message:C1:1.000001', linkId: 'rtm:A2:T2', protocol: 'rtm', appId: 'A2', teamId: 'T2', kind: 'message', payload: { type: 'message', text: 'over RTM' }, receivedAt: 1 },
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(['[bot] app_mention in T1 via socket: hi there', '[bot] message in T2 via rtm: over RTM']);
  });

  it('is read from the environment relative to the working directory, with a 2.5 s default time limit', () => {
    expect(readEmbeddedConfig({}, '/srv/bot').handler).toBeUndefined();
    expect(readEmbeddedConfig({ LIFELINE_HANDLER: 'bot/handler.mjs' }, '/srv/bot').handler).toEqual({ path: '/srv/bot/bot/handler.mjs', timeoutMs: 2_500 });
    expect(readEmbeddedConfig({ LIFELINE_HANDLER: '/abs/h.mjs', LIFELINE_HANDLER_TIMEOUT_MS: '900' }, '/srv').handler).toEqual({ path: '/abs/h.mjs', timeoutMs: 900 });
    expect(() => readEmbeddedConfig({ LIFELINE_HANDLER_TIMEOUT_MS: '0' }, '/srv')).toThrow(/LIFELINE_HANDLER_TIMEOUT_MS/);
  });

  it('takes a Bolt app from LIFELINE_BOT, and refuses LIFELINE_BOT with LIFELINE_HANDLER, naming both', () => {
    expect(readEmbeddedConfig({ LIFELINE_BOT: 'examples/bolt-app/app.mjs' }, '/srv').bot).toEqual({ path: '/srv/examples/bolt-app/app.mjs', timeoutMs: 2_500 });
    expect(() => readEmbeddedConfig({ LIFELINE_BOT: 'app.mjs', LIFELINE_HANDLER: 'handler.mjs' }, '/srv')).toThrow(/LIFELINE_BOT and LIFELINE_HANDLER are both set/);
  });
});
