import 'vitest';

// Values test/support/global-setup.ts hands to test files through `inject`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local started for this run; absent when Java is missing. */
    dynamoDbLocalEndpoint?: string;
  }
}
