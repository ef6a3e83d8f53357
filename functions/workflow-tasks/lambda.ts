// Lambda entry point of the workflow tasks (every Lambda state of the restart and reactivation
// workflows). Reads its environment once, at cold start, and fails loudly naming what is missing.
import { composeAwsWorkflowTasks } from './compose-aws';
import { readWorkflowTasksConfig } from './config';
import { makeHandler } from './handler';

export const handler = makeHandler(composeAwsWorkflowTasks(readWorkflowTasksConfig(process.env)));
