import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEmbeddedConfig } from '../../functions/embedded/config';
import { prepareDataDir } from '../../functions/embedded/operator/data-dir';
import { writeOperatorToken } from '../../functions/embedded/operator/operator-token';
import { withDotEnv } from '../../shared/config';

const root = mkdtempSync(join(tmpdir(), 'lifeline-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string): number => statSync(path).mode & 0o777;
let n = 0;
const fresh = (): string => join(root, `case-${++n}`);

describe('embedded files: the data dir, the operator token, .env', () => {
  it('creates the data dir 0700', () => {
    const dir = join(fresh(), 'nested', '.lifeline');
    expect(prepareDataDir(dir)).toEqual({ notices: [], warnings: [] });
    expect(modeOf(dir)).toBe(0o700);
  });

  it("tightens an existing data dir that holds only Lifeline's files, and says so", () => {
    const dir = fresh();
    mkdirSync(join(dir, 'store'), { recursive: true });
    chmodSync(dir, 0o755);
    const result = prepareDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(result.notices).toEqual([expect.stringContaining('tightened to 0700')]);
  });

  it('leaves a shared directory (other files in it) alone, with a warning naming the fix', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{}');
    chmodSync(dir, 0o755);
    const result = prepareDataDir(dir);
    expect(modeOf(dir)).toBe(0o755);
    expect(result.warnings).toEqual([expect.stringContaining(`chmod 700 ${dir}`)]);
  });

  it('writes a fresh token per run, mode 0600, and removes only its own', () => {
    const dir = fresh();
    prepareDataDir(dir);
    writeFileSync(join(dir, 'operator-token'), 'old\n', { mode: 0o644 });
    const first = writeOperatorToken(dir);
    expect(modeOf(first.path)).toBe(0o600);
    expect(readFileSync(first.path, 'utf8').trim()).toBe(first.value);
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    const second = writeOperatorToken(dir);
    expect(second.value).not.toBe(first.value);
    first.remove(); // the file is the second run's now: left in place
    expect(readFileSync(second.path, 'utf8').trim()).toBe(second.value);
    second.remove();
    expect(() => statSync(second.path)).toThrow();
  });

  it("reads .env with Node's parser (quotes and a trailing comment), the shell winning", () => {
    const path = join(fresh() + '.env');
    writeFileSync(path, 'SLACK_SCOPES="a,b" # the bot scopes\nexport PORT=4000\nLIFELINE_WORKERS=3\n', { mode: 0o600 });
    chmodSync(path, 0o600);
    const { env, warning } = withDotEnv({ LIFELINE_WORKERS: '5' }, path);
    expect(env).toMatchObject({ SLACK_SCOPES: 'a,b', PORT: '4000', LIFELINE_WORKERS: '5' });
    expect(warning).toBeUndefined();
  });

  it.each([[0o644, 'every user'], [0o640, 'its group']])('warns about a .env of mode %o, naming chmod 600', (mode, who) => {
    const path = join(fresh() + '.env');
    writeFileSync(path, 'PORT=4000\n');
    chmodSync(path, mode);
    expect(withDotEnv({}, path).warning).toBe(`${path} is readable by ${who} (mode 0${mode.toString(8)}) and may hold Slack secrets. Fix: chmod 600 ${path}`);
  });

  it('puts /slack/* on PORT + 1 unless told, and reads the allowed host names', () => {
    expect(readEmbeddedConfig({}, '/srv')).toMatchObject({ port: 3000, slackPort: 3001, allowedHosts: [] });
    expect(readEmbeddedConfig({ PORT: '0' }, '/srv').slackPort).toBe(0);
    expect(readEmbeddedConfig({ PORT: '8080', LIFELINE_SLACK_PORT: '9000', LIFELINE_ALLOWED_HOSTS: 'Lifeline.internal, box' }, '/srv')).toMatchObject({ slackPort: 9000, allowedHosts: ['lifeline.internal', 'box'] });
    expect(() => readEmbeddedConfig({ PORT: '8080', LIFELINE_SLACK_PORT: '8080' }, '/srv')).toThrow(/LIFELINE_SLACK_PORT must differ from PORT/);
    expect(() => readEmbeddedConfig({ LIFELINE_ALLOWED_HOSTS: 'http://evil/' }, '/srv')).toThrow(/LIFELINE_ALLOWED_HOSTS/);
    expect(() => readEmbeddedConfig({ LIFELINE_ALLOWED_HOSTS: 'box:8080' }, '/srv')).toThrow(/without a port/);
  });
});
