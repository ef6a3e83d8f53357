import { describe, expect, it } from 'vitest';
import { readSweeperConfig } from '../../functions/sweeper/config';
import { ConfigError } from '../../shared/config';

describe('sweeper config', () => {
  it('names every missing key at once', () => {
    const read = () => readSweeperConfig({});

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/LIFELINE_TABLE_NAME[\s\S]*LIFELINE_CONNECT_QUEUE_URL[\s\S]*LIFELINE_RESTART_STATE_MACHINE_ARN[\s\S]*LIFELINE_REACTIVATION_STATE_MACHINE_ARN/);
  });

  it('reads the keys the Sweeper construct sets', () => {
    const config = readSweeperConfig({
      LIFELINE_TABLE_NAME: 't',
      LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.example/q',
      LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:restart',
      LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:reactivation',
      AWS_REGION: 'eu-west-1',
    });

    expect(config).toMatchObject({ tableName: 't', region: 'eu-west-1', restartStateMachineArn: 'arn:restart', logLevel: 'info' });
  });
});
