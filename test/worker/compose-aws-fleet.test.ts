import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeAwsPorts } from '../../functions/worker/compose-aws';
import { createJsonLogger } from '../../shared/adapters/log';
import { HttpSlackApi } from '../../shared/adapters/slack';

const TABLE = 'LifelineStateful-LifelineTable1A2B3C-XYZ';
const CLIENT_SECRET = 'client-secret-value-7f3a';

/**
 * The wiring on Fargate: the fleet metrics go to stdout (where the awslogs driver hands them to
 * CloudWatch Logs) under the table's name, the `Fleet` value the template's policy reads; the
 * app's secrets, which the same composition holds, never reach the line.
 */
describe('composeAwsPorts: fleet metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the EMF line to stdout under the table name, with nothing of the app secret', () => {
    const region = 'eu-west-1';
    const ports = composeAwsPorts(
      {
        connectQueueUrl: `https://sqs.${region}.amazonaws.com/111122223333/connect`,
        restartStateMachineArn: `arn:aws:states:${region}:111122223333:stateMachine:restart`,
        reactivationStateMachineArn: `arn:aws:states:${region}:111122223333:stateMachine:reactivation`,
        eventBusName: 'lifeline-events',
        kmsKeyId: `arn:aws:kms:${region}:111122223333:key/1234`,
        app: { appId: 'A0TEST', protocol: 'rtm', clientId: '123.456', clientSecret: CLIENT_SECRET },
      },
      {
        region,
        table: { client: new DynamoDBClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), tableName: TABLE },
        slack: new HttpSlackApi({ apiUrl: 'http://127.0.0.1:9/api/' }),
        clock: { now: () => 1_700_000_000_000 },
        log: createJsonLogger({ write: () => undefined }),
      },
    );
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    ports.fleetMetrics.report({ linksHeld: 1_234, capacity: 5_000 });

    expect(written).toHaveLength(1);
    expect(written[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(written[0]!)).toMatchObject({ _aws: { Timestamp: 1_700_000_000_000 }, Fleet: TABLE, LinksHeld: 1_234, Capacity: 5_000 });
    expect(written[0]).not.toContain(CLIENT_SECRET);
  });
});
