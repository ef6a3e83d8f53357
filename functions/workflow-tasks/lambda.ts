// Lambda entry point for functions/workflow-tasks: not built yet (see the open issues). Exists so the CDK
// app can reference its path; the issue that builds it replaces this file.
export const handler = async (): Promise<never> => {
  throw new Error('functions/workflow-tasks is not built yet');
};
