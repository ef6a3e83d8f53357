import { describe, expect, it } from 'vitest';
import { readWorkerConfig } from '../../functions/worker/config';
import { ConfigError } from '../../shared/config';

describe('worker configuration from the environment', () => {
  it('names every missing or malformed key at once', () => {
    let error: unknown;
    try {
      readWorkerConfig({ LIFELINE_MODE: 'cloud', LIFELINE_LEASE_MS: 'soon', LIFELINE_CAPACITY: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('LIFELINE_TABLE_NAME is required');
    expect(problems).toContain('LIFELINE_MODE must be one of embedded, aws');
    expect(problems).toContain('LIFELINE_LEASE_MS must be an integer');
    expect(problems).toContain('LIFELINE_CAPACITY must be an integer');
  });

  it('reads overrides and keeps defaults for what is unset', () => {
    const config = readWorkerConfig({
      LIFELINE_MODE: 'embedded',
      LIFELINE_TABLE_NAME: 'links',
      LIFELINE_WORKER_ID: 'w1',
      LIFELINE_LEASE_MS: '3000',
      LIFELINE_DEAD_AFTER_MS: '6000',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(config).toMatchObject({ mode: 'embedded', workerId: 'w1', tableName: 'links', slackApiUrl: 'http://127.0.0.1:9/api/' });
    expect(config.worker).toEqual({ leaseMs: 3000 });
    expect(config.liveness).toEqual({ deadAfterMs: 6000 });
    expect(config.dynamodbEndpoint).toBeUndefined();
  });

  it('reads the rebalancing bounds; 0 moves a minute turns rebalancing off, a negative one is refused', () => {
    const base = { LIFELINE_MODE: 'embedded', LIFELINE_TABLE_NAME: 'links', LIFELINE_WORKER_ID: 'w1' };
    expect(readWorkerConfig({ ...base, LIFELINE_REBALANCE_MOVES_PER_MINUTE: '0', LIFELINE_REBALANCE_TOLERANCE_PERCENT: '10' }).worker).toEqual({ rebalanceMovesPerMinute: 0, rebalanceTolerancePercent: 10 });
    expect(() => readWorkerConfig({ ...base, LIFELINE_REBALANCE_MOVES_PER_MINUTE: '-5' })).toThrow(/LIFELINE_REBALANCE_MOVES_PER_MINUTE/);
  });
});
