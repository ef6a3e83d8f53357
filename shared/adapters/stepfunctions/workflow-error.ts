/** Step Functions refused or failed a request; `cause` holds the SDK's error. */
export class WorkflowError extends Error {
  readonly code = 'WORKFLOW_UNAVAILABLE';

  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`Step Functions ${operation} failed: ${(options.cause as Error)?.name ?? 'unknown error'}`, options);
    this.name = new.target.name;
  }
}
