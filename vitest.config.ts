import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Order matters: teardowns run in reverse, so the log scan runs after DynamoDB Local stops.
    globalSetup: ['test/support/log-capture-global.ts', 'test/support/global-setup.ts'],
    // Tees every test process's output so the scan can prove no token or secret was logged.
    setupFiles: ['test/support/log-capture-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: keep parallelism modest so socket tests are not starved.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
