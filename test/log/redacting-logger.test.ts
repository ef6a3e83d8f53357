import { describe, expect, it } from 'vitest';
import { createJsonLogger, REDACTED } from '../../shared/adapters/log';

describe('the redacting JSON logger', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, log: createJsonLogger({ level: 'debug', write: (l) => lines.push(l), now: () => 0 }) };
  };

  it('never writes a Slack token, wherever it hides', () => {
    const { lines, log } = capture();
    const bot = 'xoxb-1234567890-abcdefABCDEF';
    const app = 'xapp-1-A0123456789-1234-abcdef';
    const rotating = 'xoxe.xoxb-1-MS0yLTEyMzQ1';
    log.info(`connecting with ${bot}`, { nested: { list: [app, { note: `refresh ${rotating}` }] }, error: new Error(`bad ${bot}`) });
    const out = lines.join('\n');
    for (const secret of [bot, app, rotating]) expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('redacts fields named like secrets but keeps the rest', () => {
    const { lines, log } = capture();
    log.warn('oauth', { client_secret: 's3cr3t', signingSecret: 'abc', code: 'keep-me', teamId: 'T1', refreshToken: 'r' });
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 'warn', msg: 'oauth', client_secret: REDACTED, signingSecret: REDACTED, refreshToken: REDACTED, teamId: 'T1' });
  });

  it('filters below its level and carries child fields', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'warn', write: (l) => lines.push(l) }).child({ workerId: 'w1' });
    log.info('quiet');
    log.error('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'loud', workerId: 'w1' });
  });
});
