import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { MemoryCredentials, MemoryMetrics } from '../../shared/adapters/memory';
import type { LinkStore, SlackApi } from '../../shared/ports';
import { makeHandler } from '../../functions/workflow-tasks';
import { decodeConnectCause, encodeConnectCause } from '../../shared/adapters/stepfunctions';

const handler = makeHandler({
  links: {} as LinkStore,
  clock: Date,
  random: Math.random,
  slack: {} as SlackApi,
  credentials: new MemoryCredentials(),
  metrics: new MemoryMetrics(),
  log: silentLogger,
});

describe('workflow task handler', () => {
  it.each([
    [null, 'task input must be an object'],
    [{ task: 'reboot' }, 'unknown task "reboot"'],
    [{ task: 'applyRetry', linkId: 'rtm:A:T' }, 'epoch must be a number'],
    [{ task: 'applyConnectFailed', linkId: 'rtm:A:T', epoch: 1 }, 'failure must be a object'],
  ])('refuses %j with Task.InvalidInput', async (input, message) => {
    await expect(handler(input)).rejects.toMatchObject({ name: 'Task.InvalidInput', message: expect.stringContaining(message) });
  });

  it('reads a connect cause as the worker wrote it, or a bare string as the error', () => {
    const cause = { error: 'ratelimited', retryAfterMs: 2_000, tokenVersion: 3 };
    expect(decodeConnectCause(encodeConnectCause(cause), 'x')).toEqual(cause);
    expect(decodeConnectCause('invalid_auth', 'x')).toEqual({ error: 'invalid_auth' });
    expect(decodeConnectCause(undefined, 'States.TaskFailed')).toEqual({ error: 'States.TaskFailed' });
  });
});
