import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { announceInstallationWrite, childEndpoint, IpcBotAuthorizer, serveBotAuthorizerOverIpc } from '../../shared/adapters/ipc';
import { BotAuthorizationError, type BotAuthorization, type BotAuthorizationQuery, type BotAuthorizer } from '../../shared/ports';
import { forkIpcChild, killChild } from '../support/ipc-children';

// parent test → IPC → the child's IpcBotAuthorizer (relay) → IPC → the parent's authorizer.
// Bolt authorizes every payload; asks for one installation while one is out share its answer,
// and nothing is kept once it is in.

/** An authorizer whose answers wait until the test calls `release()`; asks after it answer at once. */
class GatedAuthorizer implements BotAuthorizer {
  readonly asked: BotAuthorizationQuery[] = [];
  tokenVersion = 1;
  parked = false;
  private gates: (() => void)[] = [];
  private open = false;

  async authorize(query: BotAuthorizationQuery): Promise<BotAuthorization> {
    this.asked.push(query);
    if (!this.open) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.parked) throw new BotAuthorizationError(`team ${query.teamId} is parked`);
    return { botToken: `xoxb-${query.teamId}-v${this.tokenVersion}`, botUserId: 'UBOT', teamId: query.teamId!, tokenVersion: this.tokenVersion };
  }

  fetchInstallation(): never {
    throw new Error('not used');
  }

  deleteInstallation(): never {
    throw new Error('not used');
  }

  release(): void {
    this.open = true;
    for (const open of this.gates.splice(0)) open();
  }

  async waitForAsks(n: number): Promise<void> {
    while (this.asked.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const team = (teamId: string): BotAuthorizationQuery => ({ appId: 'A1', teamId, isEnterpriseInstall: false });

describe('IpcBotAuthorizer', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
  });
  const remote = async (authorizer: BotAuthorizer): Promise<IpcBotAuthorizer> => {
    child = await forkIpcChild('relay');
    serveBotAuthorizerOverIpc(child, authorizer);
    return new IpcBotAuthorizer(childEndpoint(child));
  };

  it('asks once for concurrent asks of one installation, and each gets the answer', async () => {
    const authorizer = new GatedAuthorizer();
    const bot = await remote(authorizer);
    const answers = Promise.all([bot.authorize(team('T1')), bot.authorize(team('T1')), bot.authorize(team('T1'))]);
    await authorizer.waitForAsks(1);
    authorizer.release();
    expect((await answers).map((a) => a.botToken)).toEqual(['xoxb-T1-v1', 'xoxb-T1-v1', 'xoxb-T1-v1']);
    expect(authorizer.asked).toHaveLength(1);
  });

  it('asks again once the answer is in: a rotated token shows at the next ask', async () => {
    const authorizer = new GatedAuthorizer();
    const bot = await remote(authorizer);
    const first = bot.authorize(team('T1'));
    await authorizer.waitForAsks(1);
    authorizer.release();
    expect((await first).botToken).toBe('xoxb-T1-v1');
    authorizer.tokenVersion = 2;
    expect(await bot.authorize(team('T1'))).toMatchObject({ botToken: 'xoxb-T1-v2', tokenVersion: 2 });
    expect(authorizer.asked).toHaveLength(2);
  });

  it('never shares between installations', async () => {
    const authorizer = new GatedAuthorizer();
    const bot = await remote(authorizer);
    const answers = Promise.all([bot.authorize(team('T1')), bot.authorize(team('T2')), bot.authorize({ ...team('T1'), appId: 'A2' })]);
    await authorizer.waitForAsks(3);
    authorizer.release();
    expect((await answers).map((a) => a.botToken)).toEqual(['xoxb-T1-v1', 'xoxb-T2-v1', 'xoxb-T1-v1']);
    expect(authorizer.asked.map((q) => `${q.appId}:${q.teamId}`)).toEqual(['A1:T1', 'A1:T2', 'A2:T1']);
  });

  it('gives a refusal to every concurrent ask as a BotAuthorizationError, and does not keep it', async () => {
    const authorizer = new GatedAuthorizer();
    authorizer.parked = true;
    const bot = await remote(authorizer);
    const refused = Promise.allSettled([bot.authorize(team('T1')), bot.authorize(team('T1'))]);
    await authorizer.waitForAsks(1);
    authorizer.release();
    for (const outcome of await refused) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(BotAuthorizationError);
      expect(String((outcome as PromiseRejectedResult).reason.message)).toContain('team T1 is parked');
    }
    authorizer.parked = false;
    expect((await bot.authorize(team('T1'))).botToken).toBe('xoxb-T1-v1');
    expect(authorizer.asked).toHaveLength(2);
  });
});

describe('IpcBotAuthorizer keeping answers (the bot process: the parent announces installation writes)', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
  });
  const remote = async (authorizer: BotAuthorizer, cacheMs = 60_000): Promise<IpcBotAuthorizer> => {
    child = await forkIpcChild('bot-cached', String(cacheMs));
    serveBotAuthorizerOverIpc(child, authorizer);
    return new IpcBotAuthorizer(childEndpoint(child));
  };

  it('answers the next ask without asking the parent again', async () => {
    const authorizer = new GatedAuthorizer();
    authorizer.release();
    const bot = await remote(authorizer);
    expect((await bot.authorize(team('T1'))).botToken).toBe('xoxb-T1-v1');
    authorizer.tokenVersion = 2; // changed without a write notice: not seen, by design
    expect((await bot.authorize(team('T1'))).botToken).toBe('xoxb-T1-v1');
    expect(authorizer.asked).toHaveLength(1);
    // ...and per installation.
    expect((await bot.authorize(team('T2'))).botToken).toBe('xoxb-T2-v2');
    expect(authorizer.asked).toHaveLength(2);
  });

  it('drops every kept answer at an installation write notice: a rotated token or a parked team shows at the next ask', async () => {
    const authorizer = new GatedAuthorizer();
    authorizer.release();
    const bot = await remote(authorizer);
    await bot.authorize(team('T1'));
    authorizer.tokenVersion = 2;
    announceInstallationWrite(child!);
    // The notice travels on the same channel before this ask: no wait needed.
    expect(await bot.authorize(team('T1'))).toMatchObject({ botToken: 'xoxb-T1-v2', tokenVersion: 2 });
    authorizer.parked = true;
    announceInstallationWrite(child!);
    await expect(bot.authorize(team('T1'))).rejects.toThrow('team T1 is parked');
    // A refusal is never kept.
    authorizer.parked = false;
    expect((await bot.authorize(team('T1'))).botToken).toBe('xoxb-T1-v2');
    expect(authorizer.asked).toHaveLength(4);
  });

  it('does not keep an answer asked for before a notice', async () => {
    const authorizer = new GatedAuthorizer();
    const bot = await remote(authorizer);
    const first = bot.authorize(team('T1'));
    await authorizer.waitForAsks(1);
    authorizer.tokenVersion = 2;
    announceInstallationWrite(child!);
    authorizer.release();
    expect((await first).tokenVersion).toBe(2);
    // Answered, but asked for before the write: the next ask goes to the parent again, and that
    // answer is kept.
    authorizer.tokenVersion = 3;
    expect((await bot.authorize(team('T1'))).tokenVersion).toBe(3);
    expect((await bot.authorize(team('T1'))).tokenVersion).toBe(3);
    expect(authorizer.asked).toHaveLength(2);
  });

  it('asks again once the bound has passed', async () => {
    const authorizer = new GatedAuthorizer();
    authorizer.release();
    const bot = await remote(authorizer, 100);
    await bot.authorize(team('T1'));
    authorizer.tokenVersion = 2;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await bot.authorize(team('T1'))).tokenVersion).toBe(2);
    expect(authorizer.asked).toHaveLength(2);
  });
});
