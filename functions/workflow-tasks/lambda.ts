// Lambda entry point of the workflow tasks (every Lambda state of the restart and reactivation
// workflows). Reads its environment once, at cold start, and fails loudly naming what is missing;
// the Slack app secret is read by ARN on the first task and again after a rotation.
import { composeAwsWorkflowTasks } from './compose-aws';
import { readWorkflowTasksConfig } from './config';
import { makeHandler } from './handler';

const currentDeps = composeAwsWorkflowTasks(readWorkflowTasksConfig(process.env));

export const handler = async (input: unknown): Promise<unknown> => makeHandler(await currentDeps())(input);
