// Lint: TypeScript's recommended rules plus the dependency rules of ARCHITECTURE.md ("Layout and
// the dependency rule"), checked on resolved paths (eslint-plugin-import-x):
// - shared/domain imports only xstate and itself;
// - shared/ imports neither functions/ nor infra/; infra/ does not import functions/; functions/
//   does not import infra/ (a NodejsFunction `entry` path is a string, not an import);
// - an entry point (functions/<x>) imports no other entry point, save functions/embedded, which
//   composes them;
// - no import cycles anywhere;
// - nothing imports from test/ but test/.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import importCycles from './scripts/lint/import-cycles.js';

/** The repository root: zones and the module graph are relative to it, wherever eslint runs from. */
const root = fileURLToPath(new URL('.', import.meta.url));

const outward = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups }],
});

/** Every entry point, read from the tree so a new one is covered without editing this file. */
const entryPoints = readdirSync(new URL('functions', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
/** The one entry point that composes the others (`npm start`). */
const COMPOSER = 'embedded';

const layerZones = [
  { target: './shared', from: ['./functions', './infra'], message: 'shared/ never imports from functions/ or infra/: they build on it.' },
  { target: './infra', from: './functions', message: 'infra/ does not import functions/: what both need lives in shared/ (a NodejsFunction entry is a path string).' },
  { target: './functions', from: './infra', message: 'functions/ does not import infra/: what both need lives in shared/.' },
  { target: ['./shared', './functions', './infra', './bin'], from: './test', message: 'Production code never imports test code.' },
  ...entryPoints
    .filter((name) => name !== COMPOSER)
    .map((name) => ({
      target: `./functions/${name}`,
      from: './functions',
      except: [`./${name}`],
      message: `functions/${name} is an entry point: it imports no other entry point (only functions/${COMPOSER} composes them). Move what both need to shared/.`,
    })),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdk.out/**', '.lifeline/**', '.cache/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, lifeline: importCycles },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones, basePath: root }],
      // Type-only imports included (import-x/no-cycle skips them): see scripts/lint/import-cycles.js.
      'lifeline/no-import-cycle': ['error', { root }],
    },
  },
  {
    files: ['shared/domain/**'],
    rules: outward(
      { group: ['../*', '!./*'], message: 'shared/domain is pure: it imports only xstate and itself.' },
      { group: ['@aws-sdk/*', 'ws', 'aws-cdk-lib', 'aws-cdk-lib/*', 'node:*', 'fs', 'http', 'net'], message: 'shared/domain performs no I/O.' },
    ),
  },
);
