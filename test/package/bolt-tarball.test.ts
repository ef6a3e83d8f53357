import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NpmStart, simPost } from '../embedded/support/npm-start';

// The package as a stranger gets it: `npm pack` (which builds lifeline/bolt into dist/), the
// tarball installed into a project of its own, and a Bolt app there importing 'lifeline/bolt',
// run by `npm start` (LIFELINE_BOT) against the simulator.

const SM_APP = 'A0LIFESM';
const root = mkdtempSync(join(tmpdir(), 'lifeline-tarball-'));
const project = join(root, 'app');
const dataDir = join(root, 'data');

const APP = `
import { App, LogLevel } from '@slack/bolt';
import { LifelineReceiver } from 'lifeline/bolt';
console.log('lifeline/bolt resolved to', import.meta.resolve('lifeline/bolt'));
const receiver = new LifelineReceiver();
const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
app.command('/ping', async ({ ack }) => ack({ text: 'pong from the tarball' }));
app.message('hello', async ({ message, say }) => say('hi <@' + message.user + '>'));
export default app;
`;

// The same app as a TypeScript consumer writes it, checked by tsc under Node's ESM resolution
// (node16): every relative import inside the shipped declarations must name its file. The
// expect-error line fails the check (an unused directive) if the types collapsed to \`any\`.
const TYPED_APP = `
import { App } from '@slack/bolt';
import { LifelineReceiver, type BotLambdaHandler } from 'lifeline/bolt';
const receiver = new LifelineReceiver();
const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions });
app.command('/ping', async ({ ack }) => ack({ text: 'pong' }));
export const handler: BotLambdaHandler = receiver.toLambdaHandler();
export const url: string = receiver.clientOptions.slackApiUrl;
// @ts-expect-error the declarations are real: a URL is no number
export const wrong: number = receiver.clientOptions.slackApiUrl;
`;
const TSCONFIG = { compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['app.ts'] };
const tsc = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

describe('the npm pack tarball, installed into another project', () => {
  let run: NpmStart;
  let sim: string;

  beforeAll(async () => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', root], process.cwd())) as { filename: string }[];
    const tarball = join(root, packed[0]!.filename);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bolt-on-lifeline', private: true, type: 'module' }));
    // From npm's cache where it can (a fresh install also needs package documents a lockfile install never fetched).
    npm(['install', tarball, '@slack/bolt@5.1.0', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], project);
    writeFileSync(join(project, 'app.mjs'), APP);
    run = await NpmStart.start({
      LIFELINE_BOT: join(project, 'app.mjs'),
      LIFELINE_DATA_DIR: dataDir,
      LIFELINE_SIM_RTM_WORKSPACES: '1',
      LIFELINE_SIM_SM_WORKSPACES: '1',
      LIFELINE_SIM_FAULTS: 'off',
      LIFELINE_WORKERS: '1',
    });
    sim = (await run.status())!.simulatorUrl!;
  }, 400_000);
  afterAll(async () => {
    await run?.interrupt();
    rmSync(root, { recursive: true, force: true });
  });

  it('ships what it exports: the built module and its declarations', () => {
    const pkg = join(project, 'node_modules', 'lifeline');
    expect(existsSync(join(pkg, 'dist', 'bolt', 'index.js'))).toBe(true);
    expect(readFileSync(join(pkg, 'dist', 'types', 'functions', 'bolt', 'index.d.ts'), 'utf8')).toContain('LifelineReceiver');
  });

  it('typechecks a TypeScript consumer resolving with moduleResolution node16: the declarations name their files', () => {
    writeFileSync(join(project, 'app.ts'), TYPED_APP);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const check = (): string => execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

    expect(check).not.toThrow();
    const index = readFileSync(join(project, 'node_modules', 'lifeline', 'dist', 'types', 'functions', 'bolt', 'index.d.ts'), 'utf8');
    expect(index).toContain("from './receiver.js'");
    expect(index).not.toMatch(/from '\.{1,2}\/[^']*(?<!\.js)'/);
  }, 300_000);

  it("runs the project's app on the built module, and /ping is answered in the ack", async () => {
    const truth = async (): Promise<{ openNow: number; deliveries: { id: string; acks: number; ackPayload?: unknown }[] }> => (await (await fetch(`${sim}/_sim/truth?key=${SM_APP}`)).json()) as never;
    await run.waitFor(async () => (await truth()).openNow >= 1, 60_000, 'the Socket Mode sockets');
    const res = await simPost(sim, '/_sim/commands', { appId: SM_APP, command: '/ping' });
    const id = ((await res.json()) as { result: { id: string } }).result.id;
    await run.waitFor(async () => (await truth()).deliveries.some((d) => d.id === id && d.acks === 1), 15_000, 'the ack of /ping');
    expect((await truth()).deliveries.find((d) => d.id === id)?.ackPayload).toEqual({ text: 'pong from the tarball' });
    const log = readFileSync(join(dataDir, 'logs', 'workers.log'), 'utf8');
    expect(log).toContain(`lifeline/bolt resolved to file://${join(project, 'node_modules', 'lifeline', 'dist', 'bolt', 'index.js')}`);
  });
});
