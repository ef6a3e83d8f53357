// `cdk synth` / `cdk deploy` entry point: the only place infra reads its environment (CDK context:
// `-c key=value` or cdk.json). Everything else takes props.
import { App } from 'aws-cdk-lib';
import { buildLifeline } from './lifeline-app';
import { lifelineSettingsFromContext } from './lifeline-context';

const app = new App();
buildLifeline(app, lifelineSettingsFromContext(app));
app.synth();
