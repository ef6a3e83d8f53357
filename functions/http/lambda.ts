import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../../shared/adapters/stepfunctions';
import { composeAwsHttp } from './compose-aws';
import { readHttpConfig } from './config';
import type { HttpDeps } from './deps';
import { makeHandler } from './handler';
import { fromLambdaEvent, toLambdaResult, type LambdaHttpEvent, type LambdaHttpResult } from './lambda-event';
import type { HttpHandler } from './types';

// Built on the first invocation and kept for the container's life: the environment is read once.
// The Slack app secret is read by ARN then, and again once its cache expires (a rotation).
let currentDeps: (() => Promise<HttpDeps>) | undefined;
let built: { deps: HttpDeps; http: HttpHandler } | undefined;

function compose(): () => Promise<HttpDeps> {
  const config = readHttpConfig(process.env);
  const workflow = new SfnWorkflow({
    client: new SFNClient({ region: config.region }),
    restartStateMachineArn: config.restartStateMachineArn,
    reactivationStateMachineArn: config.reactivationStateMachineArn,
  });
  return composeAwsHttp(config, workflow);
}

/**
 * Lambda entry (API Gateway HTTP API or Function URL, payload 2.0) for `/slack/install`,
 * `/slack/oauth_redirect` and `/slack/events`. Lambda freezes once it answers, so the Events
 * handler parks inline (a few bounded writes, well inside Slack's 3 s) and answers 500 on
 * failure so that Slack's retry tries again. An unreadable secret fails the invocation (API
 * Gateway answers 500, Slack retries) with the secret's ARN and the problem named.
 */
export const handler = async (event: LambdaHttpEvent): Promise<LambdaHttpResult> => {
  currentDeps ??= compose();
  const deps = await currentDeps();
  if (built?.deps !== deps) built = { deps, http: makeHandler(deps) };
  return toLambdaResult(await built.http(fromLambdaEvent(event)));
};
