import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import importCycles, { cyclesOf } from '../../scripts/lint/import-cycles.js';

/**
 * The dependency rules of ARCHITECTURE.md as `npm run lint` enforces them: each rule is shown
 * to fire on an import that breaks it, and to stay quiet on one that does not. The probes are
 * virtual files inside the real tree, so imports resolve against the real modules.
 */
describe('dependency rules (eslint.config.js)', () => {
  const eslint = new ESLint();
  const problems = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(`${code}\nexport const probe = x;\n`, { filePath });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['shared/ imports functions/', 'shared/app/probe.ts', "import { x } from '../../functions/worker/worker';", /shared\/ never imports from functions\//],
    ['shared/ imports infra/', 'shared/ports/probe.ts', "import { x } from '../../infra/constructs/workflow-props';", /shared\/ never imports from functions\/ or infra\//],
    ['infra/ imports functions/', 'infra/constructs/probe.ts', "import { x } from '../../functions/worker/main';", /infra\/ does not import functions\//],
    ['functions/ imports infra/', 'functions/worker/probe.ts', "import { x } from '../../infra/constructs/workflow-props';", /functions\/ does not import infra\//],
    ['an entry point imports another', 'functions/worker/probe.ts', "import { x } from '../workflow-tasks/handler';", /functions\/worker is an entry point/],
    ['an entry point imports another, from a subfolder', 'functions/worker/connection/probe.ts', "import { x } from '../../http/handler';", /functions\/worker is an entry point/],
    ['production code imports test code', 'functions/http/probe.ts', "import { x } from '../../test/support/dynalite';", /never imports test code/],
    ['the domain imports a port', 'shared/domain/probe.ts', "import { x } from '../ports';", /shared\/domain is pure/],
  ])('refuses %s', async (_, file, code, message) => {
    expect((await problems(file, code)).join('\n')).toMatch(message);
  });

  it.each([
    ['functions/embedded composes the entry points', 'functions/embedded/probe.ts', "import { x } from '../worker/worker';"],
    ['an entry point imports its own modules and shared/', 'functions/worker/probe.ts', "import { x } from './worker';\nimport { y } from '../../shared/app';"],
    ['infra/ imports shared/', 'infra/constructs/probe.ts', "import { x } from '../../shared/config/env-keys';"],
  ])('allows %s', async (_, file, code) => {
    const found = await problems(file, code);
    expect(found.filter((p) => /no-restricted|no-import-cycle/.test(p))).toEqual([]);
  });
});

describe('no import cycles (scripts/lint/import-cycles.js)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  const tree = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), 'lifeline-cycles-'));
    dirs.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  const lintCycles = async (root: string) => {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { lifeline: importCycles }, rules: { 'lifeline/no-import-cycle': 'error' } }],
    });
    const results = await eslint.lintFiles(['**/*.ts']);
    return results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(root.length + 1)}:${m.line} ${m.message}`)).sort();
  };

  it('finds strongly connected components, and only those', () => {
    const graph = new Map<string, Set<string>>([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['e'])],
      ['e', new Set()],
      ['f', new Set(['f'])],
    ]);
    const cycles = cyclesOf(graph).map((c) => [...c].sort());
    expect(cycles.sort()).toEqual([['a', 'b', 'c'], ['f']]);
  });

  it('reports each import closing a cycle, type-only imports and re-exports included, naming the way round', async () => {
    const root = tree({
      'context.ts': "import type { Hub } from './events/hub';\nexport interface Context { hub: Hub }\n",
      'events/hub.ts': "import type { Context } from '../context';\nexport class Hub { constructor(readonly ctx: Context) {} }\n",
      'a.ts': "export { b } from './b';\nexport const a = 1;\n",
      'b.ts': "import { a } from './a';\nexport const b = a;\n",
      'leaf.ts': "import { a } from './a';\nimport type { Context } from './context';\nexport const leaf = (c: Context) => [a, c];\n",
    });
    expect(await lintCycles(root)).toEqual([
      'a.ts:1 Import cycle: a.ts → b.ts → a.ts. Break it: move what both sides need into a module both import, or pass it in.',
      'b.ts:1 Import cycle: b.ts → a.ts → b.ts. Break it: move what both sides need into a module both import, or pass it in.',
      'context.ts:1 Import cycle: context.ts → events/hub.ts → context.ts. Break it: move what both sides need into a module both import, or pass it in.',
      'events/hub.ts:1 Import cycle: events/hub.ts → context.ts → events/hub.ts. Break it: move what both sides need into a module both import, or pass it in.',
    ]);
  });

  it('is quiet on a tree without cycles', async () => {
    const root = tree({
      'core.ts': 'export interface Core { n: number }\n',
      'hub.ts': "import type { Core } from './core';\nexport class Hub { constructor(readonly core: Core) {} }\n",
      'context.ts': "import type { Core } from './core';\nimport type { Hub } from './hub';\nexport interface Context extends Core { hub: Hub }\n",
    });
    expect(await lintCycles(root)).toEqual([]);
  });
});
