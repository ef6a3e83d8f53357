// Lint: TypeScript's recommended rules plus the dependency rule of ARCHITECTURE.md.
// Imports point inward: shared/domain imports only xstate and itself; nothing in shared/
// imports from functions/ or infra/; nothing imports from test/ but test/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outward = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.lifeline/**', '.cache/**', 'bench-results/**'] },
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
    files: ['shared/domain/**'],
    rules: outward(
      { group: ['../*', '!./*'], message: 'shared/domain is pure: it imports only xstate and itself.' },
      { group: ['@aws-sdk/*', 'ws', 'aws-cdk-lib', 'aws-cdk-lib/*', 'node:*', 'fs', 'http', 'net'], message: 'shared/domain performs no I/O.' },
    ),
  },
  {
    files: ['shared/**'],
    rules: outward(
      { group: ['**/functions/**', '**/infra/**', '**/test/**'], message: 'shared/ never imports from functions/, infra/ or test/.' },
    ),
  },
  {
    files: ['functions/**', 'infra/**'],
    rules: outward({ group: ['**/test/**'], message: 'Production code never imports test code.' }),
  },
);
