// `cdk synth` / `cdk deploy` entry point: the only place infra reads its environment.
import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stacks/stateful-stack';

const app = new App();
new StatefulStack(app, app.node.tryGetContext('statefulStackName') ?? 'LifelineStateful', {
  description: 'Lifeline: links table and its KMS key (stateful, retained)',
});
app.synth();
