// `cdk synth` / `cdk deploy` entry point: the only place infra reads its environment (CDK context:
// `-c key=value` or cdk.json). Everything else takes props.
import { App, Duration } from 'aws-cdk-lib';
import { LINK_PROTOCOLS, type LinkProtocol } from '../shared/domain';
import { buildLifeline } from './lifeline-app';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};
const positiveInt = (key: string): number | undefined => {
  const raw = context(key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`context ${key} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
};
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const slackProtocol = (raw: string | undefined): LinkProtocol | undefined => {
  if (raw === undefined || (LINK_PROTOCOLS as readonly string[]).includes(raw)) return raw as LinkProtocol | undefined;
  throw new Error(`context slackProtocol must be ${LINK_PROTOCOLS.join(' or ')}, got ${JSON.stringify(raw)}`);
};

const drainSeconds = positiveInt('workerDrainSeconds');
buildLifeline(app, compact({
  statefulStackName: context('statefulStackName'),
  orchestratorStackName: context('orchestratorStackName'),
  alarmEmail: context('alarmEmail'),
  slack: compact({
    appId: context('slackAppId'),
    scopes: context('slackScopes')?.split(',').map((scope) => scope.trim()).filter(Boolean),
    protocol: slackProtocol(context('slackProtocol')),
    secretName: context('slackSecretName'),
    secretVersionId: context('slackSecretVersionId'),
  }),
  workers: compact({
    desiredCount: positiveInt('workerCount'),
    cpu: positiveInt('workerCpu'),
    memoryLimitMiB: positiveInt('workerMemoryMiB'),
    capacity: positiveInt('workerCapacity'),
    drainTimeout: drainSeconds === undefined ? undefined : Duration.seconds(drainSeconds),
  }),
  nag: context('nag') !== 'false',
}));
app.synth();
