// Lambda entry point for functions/http: not built yet (see the open issues). Exists so the CDK
// app can reference its path; the issue that builds it replaces this file.
export const handler = async (): Promise<never> => {
  throw new Error('functions/http is not built yet');
};
