import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpmStart, simPost } from './support/npm-start';

// LIFELINE_BOT runs the app in its own process: a listener that blocks its event loop stalls
// only the bot. The parent (store, workflows, IPC services) and the workers go on, the blocked
// payload is refused at the time limit (never acked), and the bot serves again once it returns.

const SM_APP = 'A0LIFESM';
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-blocking-'));
const botDir = mkdtempSync(join(tmpdir(), 'lifeline-blocking-bot-'));

interface Delivery { id: string; acks: number; ackPayload?: unknown }

describe('a Bolt app that blocks its event loop, or crashes', () => {
  let run: NpmStart;
  let sim: string;
  const deliveries = async (): Promise<Delivery[]> => ((await (await fetch(`${sim}/_sim/truth?key=${SM_APP}`)).json()) as { deliveries: Delivery[] }).deliveries;
  const command = async (name: string): Promise<string> => {
    const res = await simPost(sim, '/_sim/commands', { appId: SM_APP, command: name });
    return String(((await res.json()) as { result: { id: string } }).result.id);
  };
  const heartbeat = async (): Promise<number> => ((await run.status())?.workers[0] as { heartbeat?: number } | undefined)?.heartbeat ?? -1;

  beforeAll(async () => {
    run = await NpmStart.start({
      LIFELINE_BOT: 'test/embedded/fixtures/blocking-bot.mjs',
      BLOCKING_BOT_DIR: botDir,
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SIM_RTM_WORKSPACES: '1',
      LIFELINE_SIM_SM_WORKSPACES: '1',
      LIFELINE_SIM_FAULTS: 'off',
      LIFELINE_WORKERS: '1',
      LIFELINE_HANDLER_TIMEOUT_MS: '1000',
      LIFELINE_LEASE_MS: '4000',
    });
    sim = (await run.status())!.simulatorUrl!;
    await run.waitFor(async () => ((await (await fetch(`${sim}/_sim/truth?key=${SM_APP}`)).json()) as { openNow: number }).openNow >= 1, 60_000, 'the Socket Mode sockets');
  }, 150_000);
  afterAll(async () => {
    writeFileSync(join(botDir, 'release'), '');
    await run?.interrupt();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(botDir, { recursive: true, force: true });
  });

  it('stalls only itself: the parent answers, the worker keeps its heartbeat, the payload is refused at the limit', async () => {
    const blocked = await command('/block');
    await run.waitFor(async () => existsSync(join(botDir, 'blocking')), 15_000, 'the bot to block');
    const before = await heartbeat();
    // The worker renews its heartbeat through the parent's store while the bot cannot run.
    await run.waitFor(async () => (await heartbeat()) >= before + 2, 15_000, 'two heartbeats while the bot is blocked');
    // The parent refused the payload at the time limit, with the bot still blocked.
    await run.waitFor(async () => readFileSync(join(dataDir, 'logs', 'workers.log'), 'utf8').includes('the bot did not answer within 1000 ms'), 15_000, 'the refusal at the time limit');
    expect(existsSync(join(botDir, 'release'))).toBe(false);
    writeFileSync(join(botDir, 'release'), '');
    // Back: the next command is answered; the blocked one was never acked (its late ack dropped).
    const ping = await command('/ping');
    await run.waitFor(async () => (await deliveries()).some((d) => d.id === ping && d.acks === 1), 15_000, 'the ack of /ping');
    const all = await deliveries();
    expect(all.find((d) => d.id === ping)?.ackPayload).toEqual({ text: 'pong' });
    expect(all.find((d) => d.id === blocked)?.acks).toBe(0);
  });

  it('is started again after it crashes, and answers again', async () => {
    const crash = await command('/crash');
    await run.waitFor(async () => (await deliveries()).some((d) => d.id === crash && d.acks === 1), 15_000, 'the ack of /crash');
    await run.waitFor(async () => readFileSync(join(dataDir, 'logs', 'lifeline.log'), 'utf8').includes('bot restarted'), 20_000, 'the bot to be started again');
    const ping = await command('/ping');
    await run.waitFor(async () => (await deliveries()).some((d) => d.id === ping && d.acks === 1), 15_000, 'the ack of /ping after the restart');
    expect((await deliveries()).find((d) => d.id === ping)?.ackPayload).toEqual({ text: 'pong' });
    expect(readFileSync(join(dataDir, 'logs', 'lifeline.log'), 'utf8')).toContain('the bot process exited');
  });
});
