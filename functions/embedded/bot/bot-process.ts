import { fork, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { announceInstallationWrite, childEndpoint, IpcSink, serveBotAuthorizerOverIpc } from '../../../shared/adapters/ipc';
import { BoundedSink } from '../../../shared/adapters/memory';
import { ConfigError } from '../../../shared/config';
import type { BotAuthorizer, Logger, Sink, SinkAnswer } from '../../../shared/ports';

const BOT_MAIN = fileURLToPath(new URL('./bot-main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** This package's root: a bot whose `lifeline` resolves here is in this repository. */
const OWN_ROOT = realpathSync(fileURLToPath(new URL('../../../', import.meta.url)));
/** The bot gets its tokens from `authorize`, over IPC: no Slack secret is in its environment. */
const WITHHELD = ['SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_ID', 'LIFELINE_HANDLER'];

export interface BotProcessOptions {
  /** Absolute path of the module (`LIFELINE_BOT`). */
  path: string;
  /** A payload not acked within this long is refused (under Slack's 3 s). */
  timeoutMs: number;
  slackApiUrl: string;
  env: Record<string, string | undefined>;
  authorizer: BotAuthorizer;
  /**
   * Calls the listener after every installation write, from any process (the store's write
   * tap); returns a function that stops. The bot keeps `authorize` answers until told.
   */
  installationWrites: (listener: () => void) => () => void;
  /** A sink for the bot's stdout or stderr (the workers' log). */
  output: () => Writable;
  log: Logger;
}

export interface BotProcess {
  /** What the workers deliver to: the bot over IPC, each payload bounded in time. */
  sink: BoundedSink;
  /** The running bot process's pid (undefined while it restarts). */
  pid(): number | undefined;
  /** Times the bot process was started again after it exited. */
  restarts(): number;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  sink: IpcSink;
  startedAt: number;
}

/** A bot that stayed up this long before it exited starts again at once; else the wait grows. */
const STABLE_MS = 60_000;
const restartDelay = (failures: number): number => Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));

/**
 * Starts the bot in a process of its own and waits until `app.start()` resolved there. Its own
 * process because a bot that blocks its event loop (a sync loop, a heavy parse) must not stall
 * the store, the HTTP listeners or the IPC services the workers depend on, which all live in
 * this (the parent) process. A bot that fails to start stops `npm start` with its reason; one
 * that exits later (an uncaught exception) is started again, with a growing wait if it keeps
 * dying, and its payloads are refused (unacked) while it is down.
 */
export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const env: Record<string, string | undefined> = { ...options.env };
  for (const key of WITHHELD) delete env[key];
  const execArgv = ['--import', TSX, ...(inThisRepository(options.path) ? ['--conditions=lifeline-source'] : [])];
  const { log } = options;
  let current: Running | undefined;
  let stopping = false;
  let failures = 0;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const launch = async (): Promise<void> => {
    const child = fork(BOT_MAIN, [], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...env, LIFELINE_BOT: options.path, SLACK_API_URL: options.slackApiUrl } });
    child.stdout?.pipe(options.output());
    child.stderr?.pipe(options.output());
    const endpoint = childEndpoint(child);
    serveBotAuthorizerOverIpc(endpoint, options.authorizer);
    // From the fork on. A notice that arrives before the bot listens is lost, harmlessly: it has
    // kept no answer yet.
    const offWrites = options.installationWrites(() => announceInstallationWrite(endpoint));
    child.once('exit', offWrites);
    const running: Running = { child, sink: new IpcSink(endpoint), startedAt: Date.now() };
    await started(child, options.path);
    current = running;
    child.once('exit', (code, signal) => {
      if (current === running) current = undefined;
      if (stopping) return;
      failures = Date.now() - running.startedAt >= STABLE_MS ? 1 : failures + 1;
      const delayMs = restartDelay(failures);
      log.error('the bot process exited; its payloads are refused (unacked) until it is started again', { code, signal, restartInMs: delayMs });
      schedule(delayMs);
    });
  };
  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      timer = undefined;
      if (stopping) return;
      launch().then(
        () => {
          restarts += 1;
          log.info('bot restarted', { pid: current?.child.pid, restarts });
        },
        (error: unknown) => {
          failures += 1;
          log.error('the bot failed to start again', { error: error instanceof Error ? error.message : String(error), restartInMs: restartDelay(failures) });
          schedule(restartDelay(failures));
        },
      );
    }, delayMs);
  };

  const routed: Sink = {
    deliver: (events) => current ? current.sink.deliver(events) : events.map(async (): Promise<SinkAnswer> => ({ ok: false, reason: 'the bot process is down (restarting)' })),
  };
  await launch();
  return {
    sink: new BoundedSink(routed, options.timeoutMs),
    pid: () => current?.child.pid,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      const child = current?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `lifeline-source`: a bot inside this repository gets `lifeline/bolt` as the TypeScript source
 * (tsx runs it), so `npm start` needs no build step. A bot elsewhere (a project that installed
 * the packed tarball) gets what the package built, `dist/`, as any consumer does.
 */
function inThisRepository(botPath: string): boolean {
  try {
    return realpathSync(dirname(createRequire(botPath).resolve('lifeline/package.json'))) === OWN_ROOT;
  } catch {
    return false;
  }
}

function started(child: ChildProcess, path: string): Promise<void> {
  const problem = (why: string): ConfigError => new ConfigError([`LIFELINE_BOT (${path}): ${why}`]);
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const report = message as { lifelineBot?: string; message?: string };
      if (report?.lifelineBot === 'ready') done(() => resolve());
      else if (report?.lifelineBot === 'failed') done(() => reject(problem(report.message ?? 'failed to start')));
    };
    const onExit = (code: number | null): void => done(() => reject(problem(`the bot process exited (code ${code}) before app.start() resolved; see the workers' log`)));
    const done = (settle: () => void): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
