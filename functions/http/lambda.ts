import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { composeAwsHttp } from './compose-aws';
import { readHttpConfig } from './config';
import { makeHandler } from './handler';
import { fromLambdaEvent, toLambdaResult, type LambdaHttpEvent, type LambdaHttpResult } from './lambda-event';
import type { HttpHandler } from './types';

// Built on the first invocation and kept for the container's life: the environment is read once.
let http: HttpHandler | undefined;

function build(): HttpHandler {
  const config = readHttpConfig(process.env);
  const workflow = new SfnWorkflow({
    client: new SFNClient({ region: config.region }),
    restartStateMachineArn: config.restartStateMachineArn,
    reactivationStateMachineArn: config.reactivationStateMachineArn,
  });
  return makeHandler(composeAwsHttp(config, workflow));
}

/**
 * Lambda entry (API Gateway HTTP API or Function URL, payload 2.0) for `/slack/install`,
 * `/slack/oauth_redirect` and `/slack/events`. Lambda freezes once it answers, so the Events
 * handler parks inline (a few bounded writes, well inside Slack's 3 s) and answers 500 on
 * failure so that Slack's retry tries again.
 */
export const handler = async (event: LambdaHttpEvent): Promise<LambdaHttpResult> => {
  http ??= build();
  return toLambdaResult(await http(fromLambdaEvent(event)));
};
