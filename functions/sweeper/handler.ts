import { sweepLinks, type SweepDeps, type SweepOptions, type SweepReport } from '../../shared/app';

/** The sweep left links it could not handle; failing the invocation makes the Lambda Errors alarm see it. */
export class SweepIncompleteError extends Error {
  readonly code = 'SWEEP_INCOMPLETE';

  constructor(readonly report: SweepReport) {
    super(`sweep left ${report.failures} link(s) unhandled; the next run tries again`);
    this.name = new.target.name;
  }
}

/**
 * The scheduled sweeper: a thin shell over `sweepLinks`. The EventBridge schedule's event
 * carries nothing it needs, so it is ignored.
 */
export const makeHandler = (deps: SweepDeps, options: SweepOptions = {}) =>
  async (): Promise<SweepReport> => {
    const report = await sweepLinks(deps, options);
    if (report.failures > 0) throw new SweepIncompleteError(report);
    return report;
  };
