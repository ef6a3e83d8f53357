// `cdk synth` / `cdk deploy` entry point: the only place infra reads its environment (CDK context:
// `-c key=value` or cdk.json). Everything else takes props.
import { App } from 'aws-cdk-lib';
import { buildLifeline } from './lifeline-app';
import { lifelineSettingsFromContext } from './lifeline-context';
import { SlackDeploymentError } from './slack-deployment';

const app = new App();
try {
  buildLifeline(app, lifelineSettingsFromContext(app));
} catch (error) {
  // The operator's mistake, said once and plainly: no stack trace to read past.
  if (!(error instanceof SlackDeploymentError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
app.synth();
