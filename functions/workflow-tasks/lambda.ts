// Lambda entry point of the workflow tasks (every Lambda state of the restart and reactivation
// workflows). Reads its environment once, at cold start, and fails loudly naming what is missing.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { createJsonLogger } from '../../shared/adapters/log';
import { EmfMetrics } from '../../shared/adapters/metrics';
import { HttpSlackApi } from '../../shared/adapters/slack';
import type { Credentials } from '../../shared/ports';
import { readWorkflowTasksConfig } from './config';
import { makeHandler } from './handler';
import { TaskError } from './task-error';

const config = readWorkflowTasksConfig(process.env);
const write = (line: string): void => void process.stdout.write(`${line}\n`);

// The installation store (issue 6) is the real Credentials adapter; until it exists a
// reactivation fails its VerifyToken state with this error instead of guessing a token.
const credentials: Credentials = {
  forLink: async () => {
    throw new TaskError('Credentials.Unavailable', 'the installation store is not wired into the workflow tasks yet');
  },
};

export const handler = makeHandler({
  links: new DynamoDbLinkStore({ client: new DynamoDBClient({ region: config.region }), tableName: config.tableName }),
  clock: Date,
  random: Math.random,
  slack: new HttpSlackApi({ apiUrl: config.slackApiUrl }),
  credentials,
  metrics: new EmfMetrics({ write }),
  log: createJsonLogger({ level: config.logLevel, write, fields: { component: 'workflow-tasks' } }),
});
