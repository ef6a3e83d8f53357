import 'vitest';

// Values test/support/log-capture-global.ts hands to test files through `inject`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's workers tee their output for the final secret scan. */
    logCaptureDir?: string;
  }
}
