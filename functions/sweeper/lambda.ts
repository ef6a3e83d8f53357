// Lambda entry point for functions/sweeper: not built yet (see the open issues). Exists so the CDK
// app can reference its path; the issue that builds it replaces this file.
export const handler = async (): Promise<never> => {
  throw new Error('functions/sweeper is not built yet');
};
