import { Duration, type App } from 'aws-cdk-lib';
import { LINK_PROTOCOLS, type LinkProtocol } from '../shared/domain';
import type { LifelineSettings } from './lifeline-app';

/**
 * The app's settings from CDK context (`-c key=value` or cdk.json), as `cdk synth` reads them.
 * Required: `slackAppId`, `slackSecretArn` (checked, both named, by `buildLifeline`).
 */
export function lifelineSettingsFromContext(app: App): LifelineSettings {
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
  const list = (key: string): string[] | undefined => context(key)?.split(',').map((item) => item.trim()).filter(Boolean);
  const slackProtocol = (raw: string | undefined): LinkProtocol | undefined => {
    if (raw === undefined || (LINK_PROTOCOLS as readonly string[]).includes(raw)) return raw as LinkProtocol | undefined;
    throw new Error(`context slackProtocol must be ${LINK_PROTOCOLS.join(' or ')}, got ${JSON.stringify(raw)}`);
  };
  if (context('workerCount') !== undefined) {
    throw new Error('context workerCount is no longer read: the workers scale between workerMinCount [2] and workerMaxCount [10] (README, Deploy)');
  }
  if (context('slackSecretName') !== undefined) {
    throw new Error('context slackSecretName is no longer read: pass the secret\'s complete ARN as slackSecretArn (README, Deploy)');
  }

  const drainSeconds = positiveInt('workerDrainSeconds');
  return compact({
    statefulStackName: context('statefulStackName'),
    orchestratorStackName: context('orchestratorStackName'),
    alarmEmail: context('alarmEmail'),
    slack: compact({
      appId: context('slackAppId'),
      secretArn: context('slackSecretArn'),
      scopes: list('slackScopes'),
      protocol: slackProtocol(context('slackProtocol')),
    }),
    bot: compact({ functionArn: context('botFunctionArn'), roleArn: context('botRoleArn') }),
    workers: compact({
      minCount: positiveInt('workerMinCount'),
      maxCount: positiveInt('workerMaxCount'),
      targetPercent: positiveInt('workerTargetPercent'),
      cpu: positiveInt('workerCpu'),
      memoryLimitMiB: positiveInt('workerMemoryMiB'),
      capacity: positiveInt('workerCapacity'),
      drainTimeout: drainSeconds === undefined ? undefined : Duration.seconds(drainSeconds),
    }),
    nag: context('nag') !== 'false',
  });
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
