import type { LinkRow, OperatorActionResult, OperatorTarget } from '../../shared/app';
import type { WorkerView } from './format';

/** Where the CLI reads and acts: a running `npm start` over HTTP, or a deployed stack's table. */
export interface Backend {
  describe: string;
  counts(): Promise<Record<string, number>>;
  workers(): Promise<WorkerView[]>;
  links(): Promise<LinkRow[]>;
  setActive(target: OperatorTarget, active: boolean): Promise<OperatorActionResult>;
}
