import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbEventDedupe } from '../../shared/adapters/dynamodb';
import { parseLinkId } from '../../shared/app';
import { openEmbeddedStore, type EmbeddedStore } from '../../functions/embedded/store';
import { connecting } from '../support/link-fixtures';
import { capturingLogger } from '../support/log-capture';
import { waitFor } from '../support/wait-for';

/** A small tmpfs of our own, or why there cannot be one here (mounting needs root). */
function mountSmallDisk(): { dir: string; unmount: () => void } | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, unmount: () => { execFileSync('umount', [dir], { stdio: 'pipe' }); rmSync(dir, { recursive: true, force: true }); } };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); run as root to fill a real disk` };
  }
}

/** Writes until the disk says ENOSPC; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

const disk = mountSmallDisk();
// Without root, the same test runs again inside a user and mount namespace of its own
// (`unshare -rm`: root there, so the tmpfs mounts), as CI's unprivileged user does. Only where
// neither works (no user namespaces, not Linux) is it skipped, loudly.
const IN_NAMESPACE = process.env.LIFELINE_FULL_DISK_IN_NAMESPACE === '1';
const unshareWorks = (): boolean => {
  try {
    execFileSync('unshare', ['-rm', 'true'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};
const viaNamespace = 'reason' in disk && !IN_NAMESPACE && unshareWorks();
if ('reason' in disk && !viaNamespace) console.warn(`\n*** SKIPPED: the real full-disk test: ${disk.reason}, and no user namespace (unshare -rm) either ***\n`);

if (viaNamespace) describe('the real full-disk test, without root', () => {
  it('runs inside `unshare -rm` (a user and mount namespace where the tmpfs mounts) and passes there', { timeout: 180_000 }, () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync('unshare', ['-rm', process.execPath, join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/store/full-disk.test.ts'], {
      cwd: root,
      env: { ...process.env, LIFELINE_FULL_DISK_IN_NAMESPACE: '1' },
      encoding: 'utf8',
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).not.toContain('SKIPPED');
    expect(output).toMatch(/Tests\s+.*1 passed/);
  });
});

else describe.runIf(!('reason' in disk))('the embedded store on a disk that really fills up (tmpfs)', () => {
  let store: EmbeddedStore | undefined;
  afterAll(async () => {
    await store?.stop().catch(() => undefined);
    if (!('reason' in disk)) disk.unmount();
  });

  it('refuses writes with ENOSPC named, stays up for reads, and resumes once space is freed', { timeout: 60_000 }, async () => {
    if ('reason' in disk) throw new Error(disk.reason);
    const { log, lines } = capturingLogger({ test: 'full-disk' });
    store = await openEmbeddedStore(disk.dir, 'lifeline', { log, ttlSweepMs: 3_600_000 });
    const s = store;
    await s.links.create({ ...parseLinkId('rtm:A1:T1'), snapshot: connecting(Date.now()) }, Date.now());
    const dedupe = new DynamoDbEventDedupe({ client: s.client, tableName: s.tableName });

    const filler = fill(disk.dir);
    // LevelDB may still have room in a buffer or a preallocated block: write until the disk says no.
    let refused: unknown;
    for (let i = 0; i < 500 && !refused; i++) {
      refused = await dedupe.claimOnce(`A1:Ev${i}:${'x'.repeat(900)}`, Date.now()).then(() => undefined, (error: unknown) => error);
    }
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('InternalServerError');
    expect((refused as Error).message).toMatch(/embedded store .* write refused: .*(No space left|ENOSPC)/i);
    expect(lines.some((line) => line.includes('storage refused a write'))).toBe(true);
    // Reads keep working while the disk stays full, recovery rounds and all.
    await waitFor(() => s.server.storage!.recoveryAttempts >= 2, 20_000, 'two recovery rounds on the full disk');
    expect(s.server.storage!.refusing).toBe(true);
    expect((await s.links.get('rtm:A1:T1'))?.id).toBe('rtm:A1:T1');

    rmSync(filler);
    await waitFor(() => !s.server.storage!.refusing, 20_000, 'writes resume after space returns');
    expect(await dedupe.claimOnce('A1:after', Date.now())).toBe(true);
    expect((await dedupe.claim('A1:after', Date.now())).state).toBe('completed');
    expect((await s.links.get('rtm:A1:T1'))?.id).toBe('rtm:A1:T1');
  });
});
