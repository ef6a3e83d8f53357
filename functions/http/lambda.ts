import type { ConnectOutcome, ReactivationRequest, RetryRequest, Workflow } from '../../shared/ports';
import { composeAwsHttp } from './compose-aws';
import { readHttpConfig } from './config';
import { makeHandler } from './handler';
import { fromLambdaEvent, toLambdaResult, type LambdaHttpEvent, type LambdaHttpResult } from './lambda-event';
import type { HttpHandler } from './types';

/**
 * Stands in until the Step Functions Workflow adapter (issue 5) is wired here. Cancelling is safe
 * to skip: a retry that fires later meets a parked link and the machine ignores it. Starting a
 * reactivation is not, so it fails loudly (the installation is stored; the page says so).
 */
class WorkflowNotWired implements Workflow {
  async cancelRetry(_linkId: string): Promise<void> {}
  async scheduleRetry(request: RetryRequest): Promise<void> {
    throw new Error(`Step Functions workflow not wired: cannot schedule a retry of ${request.linkId}`);
  }
  async startReactivation(request: ReactivationRequest): Promise<void> {
    throw new Error(`Step Functions workflow not wired: cannot reactivate ${request.linkId}`);
  }
  async completeConnect(_taskToken: string, _outcome: ConnectOutcome): Promise<void> {
    throw new Error('Step Functions workflow not wired');
  }
}

// Built on the first invocation and kept for the container's life: the environment is read once.
let http: HttpHandler | undefined;

/** Lambda Function URL / HTTP API (payload 2.0) entry for `/slack/install`, `/slack/oauth_redirect`, `/slack/events`. */
export const handler = async (event: LambdaHttpEvent): Promise<LambdaHttpResult> => {
  http ??= makeHandler(composeAwsHttp(readHttpConfig(process.env), new WorkflowNotWired()));
  return toLambdaResult(await http(fromLambdaEvent(event)));
};
