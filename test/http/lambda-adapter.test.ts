import { describe, expect, it } from 'vitest';
import { readHttpConfig } from '../../functions/http/config';
import { fromLambdaEvent, toLambdaResult } from '../../functions/http/lambda-event';
import { ConfigError } from '../../shared/config';

describe('Lambda payload 2.0 adapter', () => {
  it('rebuilds the cookie header, decodes a base64 body byte for byte, and lower-cases headers', () => {
    const raw = '{"type":"event_callback","text":"héllo"}';
    const request = fromLambdaEvent({
      rawPath: '/slack/events',
      rawQueryString: 'a=1&b=two',
      headers: { 'X-Slack-Signature': 'v0=abc' },
      cookies: ['slack-app-oauth-state=s1', 'other=2'],
      body: Buffer.from(raw).toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'post' } },
    });
    expect(request).toMatchObject({ method: 'POST', path: '/slack/events', body: raw });
    expect(request.headers).toMatchObject({ 'x-slack-signature': 'v0=abc', cookie: 'slack-app-oauth-state=s1; other=2' });
    expect(request.query.get('b')).toBe('two');
  });

  it('moves Set-Cookie into `cookies`', () => {
    const result = toLambdaResult({ status: 302, headers: { location: 'https://slack.com/x', 'set-cookie': 'a=b; Max-Age=600' }, body: '' });
    expect(result).toEqual({ statusCode: 302, headers: { location: 'https://slack.com/x' }, cookies: ['a=b; Max-Age=600'], body: '' });
  });
});

const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';

describe('readHttpConfig', () => {
  it('names every missing key at once', () => {
    const error = (() => {
      try {
        readHttpConfig({ LIFELINE_SLACK_SECRET_ARN: 'lifeline/slack-app' });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    for (const key of ['SLACK_APP_ID', 'SLACK_REDIRECT_URI', 'LIFELINE_TABLE_NAME',
      'LIFELINE_KMS_KEY_ID', 'LIFELINE_CONNECT_QUEUE_URL', 'LIFELINE_RESTART_STATE_MACHINE_ARN', 'LIFELINE_REACTIVATION_STATE_MACHINE_ARN']) {
      expect(error.problems.join('\n')).toContain(key);
    }
    // The secret comes by its complete ARN, read at run time; a name is refused.
    expect(error.problems.join('\n')).toContain('LIFELINE_SLACK_SECRET_ARN must be the complete ARN');
  });

  it('asks a classic RTM app for `bot` unless told otherwise; a Socket Mode app (the default) must name its scopes', () => {
    const base = {
      SLACK_APP_ID: 'A0APP', LIFELINE_SLACK_SECRET_ARN: secretArn,
      SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect', LIFELINE_TABLE_NAME: 't',
      LIFELINE_KMS_KEY_ID: 'alias/k', LIFELINE_CONNECT_QUEUE_URL: 'https://sqs/q', LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:r', LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:a',
    };
    expect(readHttpConfig({ ...base, LIFELINE_APP_PROTOCOL: 'rtm' }).app.scopes).toEqual(['bot']);
    expect(() => readHttpConfig({ ...base, LIFELINE_APP_PROTOCOL: 'socket' })).toThrow(/SLACK_SCOPES is required/);
    expect(() => readHttpConfig(base)).toThrow(/SLACK_SCOPES is required/);
  });

  it('reads a complete environment', () => {
    const config = readHttpConfig({
      SLACK_APP_ID: 'A0APP', LIFELINE_SLACK_SECRET_ARN: secretArn, SLACK_SCOPES: 'bot, chat:write',
      SLACK_REDIRECT_URI: 'https://x.example/slack/oauth_redirect', LIFELINE_TABLE_NAME: 't',
      LIFELINE_KMS_KEY_ID: 'alias/k', LIFELINE_CONNECT_QUEUE_URL: 'https://sqs/q',
      LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:restart', LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:reactivation',
    });
    expect(config.app).toMatchObject({ scopes: ['bot', 'chat:write'], userScopes: [], protocol: 'socket', authorizeUrl: 'https://slack.com/oauth/v2/authorize' });
    expect(config.slackApiUrl).toBe('https://slack.com/api/');
    expect(config.slackSecretArn).toBe(secretArn);
    expect(JSON.stringify(config)).not.toMatch(/clientSecret|signingSecret|stateSecret/);
  });
});
