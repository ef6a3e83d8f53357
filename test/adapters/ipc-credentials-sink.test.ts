import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  childEndpoint,
  IpcCredentials,
  IpcSink,
  serveCredentialsOverIpc,
  serveSinkOverIpc,
} from '../../shared/adapters/ipc';
import { CallbackSink, MemoryCredentials } from '../../shared/adapters/memory';
import { parseLinkId } from '../../shared/app';
import { deliverAll, NoCredentialError, SinkError, type SinkAnswer, type SinkEvent } from '../../shared/ports';
import { forkIpcChild, killChild } from '../support/ipc-children';

// parent test → IPC → child's IpcCredentials / IpcSink (relay) → IPC → the parent's twins.

const event = (id: string): SinkEvent => ({
  id,
  linkId: 'sm:A1:0',
  protocol: 'socket',
  appId: 'A1',
  kind: 'events_api',
  payload: { n: id },
  receivedAt: 1_700_000_000_000,
});

describe('IPC bridges for Credentials and Sink', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
  });
  const relay = async (): Promise<ChildProcess> => (child = await forkIpcChild('relay'));

  it("hands out the parent's token, and a missing one as NoCredentialError with its reason", async () => {
    const credentials = new MemoryCredentials();
    credentials.set({ protocol: 'socket', appId: 'A1' }, { token: 'xapp-1', tokenVersion: 3 });
    const proc = await relay();
    serveCredentialsOverIpc(proc, credentials);
    const remote = new IpcCredentials(childEndpoint(proc));
    expect(await remote.forLink(parseLinkId('sm:A1:1'))).toEqual({ token: 'xapp-1', tokenVersion: 3 });
    const error = await remote.forLink(parseLinkId('rtm:A1:T9')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCredentialError);
    expect(error).toMatchObject({ linkId: 'rtm:A1:T9', reason: 'app_uninstalled' });
  });

  it("delivers to the parent's sink and resolves once it accepted", async () => {
    const delivered: string[] = [];
    const proc = await relay();
    serveSinkOverIpc(proc, new CallbackSink((events) => void delivered.push(...events.map((e) => e.id))));
    await deliverAll(new IpcSink(childEndpoint(proc)), [event('E1'), event('E2')]);
    expect(delivered).toEqual(['E1', 'E2']);
  });

  it("brings each event's answer back on its own, with its ack payload, ahead of a slower neighbour's", async () => {
    const proc = await relay();
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    serveSinkOverIpc(proc, CallbackSink.perEvent(async (e) => {
      if (e.id === 'slow') await slowGate;
      if (e.id === 'bad') throw new Error('listener threw');
      return { ackPayload: { text: `pong ${e.id}` } };
    }));
    const answers = new IpcSink(childEndpoint(proc)).deliver([event('slow'), event('E2'), event('bad')]);
    // The two quick answers cross both hops while the slow one is still held at the parent.
    expect(await Promise.all(answers.slice(1))).toEqual([{ ok: true, ackPayload: { text: 'pong E2' } }, { ok: false, reason: 'listener threw' }]);
    releaseSlow();
    expect(await answers[0]).toEqual({ ok: true, ackPayload: { text: 'pong slow' } });
  });

  it("brings a refusal back as a SinkError naming the parent's failed ids", async () => {
    const proc = await relay();
    serveSinkOverIpc(proc, {
      deliver: (events) => events.map(async (e): Promise<SinkAnswer> => (e.id === 'E2' ? { ok: false, reason: 'bus throttled' } : { ok: true })),
    });
    const error = await deliverAll(new IpcSink(childEndpoint(proc)), [event('E1'), event('E2')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ failedIds: ['E2'] });
    expect((error as Error).message).toContain('bus throttled');
  });

  it('fails every event of a delivery whose channel dies before the answer', async () => {
    const proc = await relay();
    let reached!: () => void;
    const atParent = new Promise<void>((resolve) => (reached = resolve));
    serveSinkOverIpc(proc, {
      deliver: (events) => {
        reached();
        return events.map(() => new Promise(() => undefined));
      },
    });
    const pending = deliverAll(new IpcSink(childEndpoint(proc)), [event('E1'), event('E2')]).catch((e: unknown) => e);
    await atParent; // the delivery is in the parent's hands: only its answer is missing
    await killChild(proc);
    expect(await pending).toMatchObject({ name: 'SinkError', failedIds: ['E1', 'E2'] });
  });
});
