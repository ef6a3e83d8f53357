import type { LinkRow, OperatorActionResult, OperatorNoticeOutcome, OperatorTarget } from '../../shared/app';
import type { WorkerView } from './format';

/** Where the CLI reads and acts: a running `npm start` over HTTP, or a deployed stack's table. */
export interface Backend {
  describe: string;
  counts(): Promise<Record<string, number>>;
  workers(): Promise<WorkerView[]>;
  links(): Promise<LinkRow[]>;
  /** The links moved, and the notices the bot was sent about them (absent from an older `npm start`). */
  setActive(target: OperatorTarget, active: boolean): Promise<OperatorActionResult & { notices?: OperatorNoticeOutcome[] }>;
}
