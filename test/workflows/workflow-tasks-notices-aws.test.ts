import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { EventBridgeSink } from '../../shared/adapters/eventbridge';
import { StaticSecretSource } from '../../shared/adapters/secrets';
import { encodeConnectCause } from '../../shared/adapters/stepfunctions/connect-cause';
import { applyEvent } from '../../shared/app';
import { composeAwsWorkflowTasks } from '../../functions/workflow-tasks/compose-aws';
import { readWorkflowTasksConfig } from '../../functions/workflow-tasks/config';
import { makeHandler } from '../../functions/workflow-tasks';
import { localAwsConfig, startAwsJsonServer, type AwsJsonServer } from '../support/aws-json-server';
import { startDynalite, type RunningEngine } from '../support/dynalite';
import { localClient, newLinkStore } from '../support/link-tables';
import { registerSecrets } from '../support/log-capture';

// Issue 15: the task Lambda has the same Sink port as the workers (the bus on AWS), so a Socket
// Mode pool link parked by the restart workflow's task (its app token refused) is told to the
// bot. The real task handler composed as the Lambda composes it, the real EventBridge client
// against a local AWS JSON server, the link table on dynalite.

const clientSecret = 'tasks-notice-secret-0a1b2c3d';
const appToken = 'xapp-1-A0TEST-4321-0123456789fedcba';
registerSecrets(clientSecret, appToken);
const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
const env = {
  LIFELINE_TABLE_NAME: 'links',
  AWS_REGION: 'eu-west-1',
  LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
  SLACK_APP_ID: 'A0TEST',
  LIFELINE_SLACK_SECRET_ARN: secretArn,
  LIFELINE_APP_PROTOCOL: 'socket',
};
const secrets = () => new StaticSecretSource(secretArn, { clientId: '111.222', clientSecret, appToken }, { required: ['clientId', 'clientSecret', 'appToken'] });

type Entry = { EventBusName: string; Source: string; DetailType: string; Detail: string };

describe('workflow tasks on AWS tell the bot on the bus', () => {
  let bus: AwsJsonServer;
  let eventBridge: EventBridgeClient;
  let engine: RunningEngine;
  let links: DynamoDbLinkStore;

  beforeAll(async () => {
    bus = await startAwsJsonServer(({ body }) => ({ body: { FailedEntryCount: 0, Entries: (body.Entries as Entry[]).map((_, i) => ({ EventId: `e${i}` })) } }));
    eventBridge = new EventBridgeClient({ ...localAwsConfig(bus.endpoint), maxAttempts: 1 });
    engine = await startDynalite();
    links = await newLinkStore(localClient(engine.endpoint));
  });
  afterAll(async () => {
    eventBridge?.destroy();
    await bus?.stop();
    await engine?.stop();
  });

  it('read the bus from LIFELINE_EVENT_BUS_NAME; without it there is no sink (the change is only logged)', async () => {
    expect(readWorkflowTasksConfig({ ...env, LIFELINE_EVENT_BUS_NAME: 'lifeline-bus' }).eventBusName).toBe('lifeline-bus');
    const withBus = await composeAwsWorkflowTasks(readWorkflowTasksConfig({ ...env, LIFELINE_EVENT_BUS_NAME: 'lifeline-bus' }), { secrets: secrets(), clients: { eventBridge } })();
    const without = await composeAwsWorkflowTasks(readWorkflowTasksConfig(env), { secrets: secrets() })();
    expect(withBus.sink).toBeInstanceOf(EventBridgeSink);
    expect(without.sink).toBeUndefined();
  });

  it('a pool link parked by applyRevoked (its app token refused) puts lifeline.parked on the bus', async () => {
    const deps = await composeAwsWorkflowTasks(readWorkflowTasksConfig({ ...env, LIFELINE_EVENT_BUS_NAME: 'lifeline-bus' }), { secrets: secrets(), clients: { eventBridge } })();
    const handler = makeHandler({ ...deps, links });
    const linkId = 'sm:A0TEST:0';
    const created = await applyEvent({ links, clock: Date, random: () => 0.5 }, linkId, { type: 'CONNECT' });
    const before = bus.requests.length;

    const answer = await handler({ task: 'applyRevoked', linkId, epoch: created.link.epoch, failure: { Error: 'Link.Revoked', Cause: encodeConnectCause({ error: 'invalid_auth' }) } });

    expect(answer).toEqual({ linkId, parked: true });
    expect((await links.get(linkId))?.state).toBe('revoked');
    const entries = bus.requests.slice(before).filter((r) => r.operation === 'PutEvents').flatMap((r) => r.body.Entries as Entry[]);
    expect(entries.map((e) => [e.EventBusName, e.Source, e.DetailType])).toEqual([['lifeline-bus', 'lifeline.slack', 'lifeline.parked']]);
    expect(JSON.parse(entries[0]!.Detail)).toMatchObject({
      kind: 'lifeline_parked',
      appId: 'A0TEST',
      payload: { type: 'lifeline_parked', app_id: 'A0TEST', reason: 'invalid_auth', link_ids: [linkId] },
    });
  });
});
