import { describe, expect, it } from 'vitest';
import { MemoryCredentials } from '../../shared/adapters/memory';
import { parseLinkId } from '../../shared/app';
import { NoCredentialError } from '../../shared/ports';

const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe('MemoryCredentials', () => {
  it("gives an RTM link its workspace's bot token, and no other workspace's", async () => {
    const credentials = new MemoryCredentials();
    credentials.set({ protocol: 'rtm', appId: 'A1', teamId: 'T1' }, { token: 'xoxb-1', tokenVersion: 2 });
    expect(await credentials.forLink(parseLinkId('rtm:A1:T1'))).toEqual({ token: 'xoxb-1', tokenVersion: 2 });
    const error = await rejection(credentials.forLink(parseLinkId('rtm:A1:T2')));
    expect(error).toBeInstanceOf(NoCredentialError);
    expect(error).toMatchObject({ code: 'NO_CREDENTIAL', linkId: 'rtm:A1:T2', reason: 'app_uninstalled' });
  });

  it("gives every Socket Mode slot its app's token, and keeps apps and protocols apart", async () => {
    const credentials = new MemoryCredentials();
    credentials.set({ protocol: 'socket', appId: 'A1' }, { token: 'xapp-1', tokenVersion: 1 });
    expect(await credentials.forLink(parseLinkId('sm:A1:0'))).toEqual({ token: 'xapp-1', tokenVersion: 1 });
    expect(await credentials.forLink(parseLinkId('sm:A1:9'))).toEqual({ token: 'xapp-1', tokenVersion: 1 });
    await expect(credentials.forLink(parseLinkId('sm:A2:0'))).rejects.toBeInstanceOf(NoCredentialError);
    await expect(credentials.forLink(parseLinkId('rtm:A1:T1'))).rejects.toBeInstanceOf(NoCredentialError);
  });

  it('hands out the newest token after a rotation, and fails as uninstalled once deleted', async () => {
    const credentials = new MemoryCredentials();
    const owner = { protocol: 'rtm', appId: 'A1', teamId: 'T1' } as const;
    credentials.set(owner, { token: 'xoxb-old', tokenVersion: 1 });
    credentials.set(owner, { token: 'xoxb-new', tokenVersion: 2 });
    expect(await credentials.forLink(parseLinkId('rtm:A1:T1'))).toEqual({ token: 'xoxb-new', tokenVersion: 2 });
    credentials.delete(owner);
    await expect(credentials.forLink(parseLinkId('rtm:A1:T1'))).rejects.toMatchObject({ reason: 'app_uninstalled' });
  });

  it('hands out copies, so a caller cannot change the stored token', async () => {
    const credentials = new MemoryCredentials();
    credentials.set({ protocol: 'socket', appId: 'A1' }, { token: 'xapp-1', tokenVersion: 1 });
    const first = await credentials.forLink(parseLinkId('sm:A1:0'));
    first.tokenVersion = 99;
    expect((await credentials.forLink(parseLinkId('sm:A1:1'))).tokenVersion).toBe(1);
  });

  it('refuses an RTM credential without a workspace', () => {
    expect(() => new MemoryCredentials().set({ protocol: 'rtm', appId: 'A1' }, { token: 't', tokenVersion: 1 })).toThrow(TypeError);
  });
});
