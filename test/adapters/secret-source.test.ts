import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretsManagerSecretSource, StaticSecretSource } from '../../shared/adapters/secrets';
import { SecretMalformedError, SecretUnavailableError, type SecretFieldSpec, type SecretSource, type SecretSourceError } from '../../shared/ports';
import { registerSecrets } from '../support/log-capture';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:lifeline/slack-app-AbCdEf';
const signingSecret = 'signing-0123456789abcdef-secret-value';
const rotatedSigningSecret = 'signing-rotated-fedcba9876543210-value';
const stateSecret = 's'.repeat(40);
registerSecrets(signingSecret, rotatedSigningSecret, stateSecret);

const spec: SecretFieldSpec = {
  required: ['signingSecret', 'stateSecret'],
  optional: ['appToken'],
  rules: {
    stateSecret: (value) => (value.length < 32 ? 'must be at least 32 characters' : undefined),
    appToken: (value) => (value.startsWith('xapp-') ? undefined : 'must be an app-level token (xapp-...)'),
  },
};

const rejection = async (source: SecretSource): Promise<SecretSourceError> => {
  const error = await source.read().then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error('expected the read to fail');
  return error as SecretSourceError;
};

// Each source is made holding one stored value (a JSON string for Secrets Manager, an object for
// the twin) and can be told to hold another, as a rotation would.
interface Harness {
  source(stored: unknown): SecretSource;
  rotate(stored: unknown): void;
}

const sm = mockClient(SecretsManagerClient);
let smValue: unknown;
const secretsManager: Harness = {
  source: (stored) => {
    smValue = stored;
    return new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: ARN, fields: spec, maxAgeMs: 0 });
  },
  rotate: (stored) => {
    smValue = stored;
  },
};
let twin: StaticSecretSource | undefined;
const embedded: Harness = {
  source: (stored) => (twin = new StaticSecretSource(ARN, stored, spec)),
  rotate: (stored) => twin?.replace(stored),
};

beforeEach(() => {
  sm.reset();
  sm.on(GetSecretValueCommand).callsFake(() => ({ SecretString: JSON.stringify(smValue), VersionId: 'v' }));
});

describe.each([
  ['Secrets Manager', secretsManager],
  ['the embedded twin', embedded],
] as const)('SecretSource contract: %s', (_, harness) => {
  it('answers the spec\'s fields only, frozen', async () => {
    const fields = await harness.source({ signingSecret, stateSecret, clientSecret: 'not-asked-for' }).read();

    expect(fields).toEqual({ signingSecret, stateSecret });
    expect(Object.isFrozen(fields)).toBe(true);
  });

  it('names every missing, empty, mistyped or invalid field by key in one error, and no value', async () => {
    const error = await rejection(harness.source({ signingSecret: '   ', stateSecret: 'short-but-secret', appToken: 'xoxb-not-an-app-token' }));

    expect(error).toBeInstanceOf(SecretMalformedError);
    expect(error.code).toBe('SECRET_MALFORMED');
    expect((error as SecretMalformedError).problems).toEqual([
      'field "signingSecret" is empty',
      'field "stateSecret" must be at least 32 characters',
      'field "appToken" must be an app-level token (xapp-...)',
    ]);
    expect(error.message).toContain(ARN);
    for (const value of ['short-but-secret', 'xoxb-not-an-app-token']) expect(error.message).not.toContain(value);

    const missing = await rejection(harness.source({ stateSecret: 7 }));
    expect((missing as SecretMalformedError).problems).toEqual(['field "signingSecret" is missing', 'field "stateSecret" must be a string']);
  });

  it('refuses a value that is not a JSON object', async () => {
    for (const stored of [['a'], 'plain', null]) {
      const error = await rejection(harness.source(stored));
      expect(error).toBeInstanceOf(SecretMalformedError);
      expect(error.message).toMatch(/not a JSON object/);
    }
  });

  it('answers the same object while the fields are unchanged and a new one after a rotation', async () => {
    const source = harness.source({ signingSecret, stateSecret });
    const first = await source.read();

    expect(await source.read()).toBe(first);
    harness.rotate({ signingSecret: rotatedSigningSecret, stateSecret });
    const rotated = await source.read();
    expect(rotated).not.toBe(first);
    expect(rotated.signingSecret).toBe(rotatedSigningSecret);
  });
});

describe('SecretsManagerSecretSource', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  const calls = () => sm.commandCalls(GetSecretValueCommand);
  const source = (options: { maxAgeMs?: number; onRefreshFailed?: (error: SecretSourceError) => void } = {}) =>
    new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: ARN, fields: spec, clock, ...options });

  beforeEach(() => {
    now = 1_000_000;
    smValue = { signingSecret, stateSecret };
  });

  it('asks for the secret by its ARN once, then answers from its cache until the max age passes', async () => {
    const secret = source({ maxAgeMs: 60_000 });
    const first = await secret.read();
    now += 59_999;
    expect(await secret.read()).toBe(first);

    expect(calls()).toHaveLength(1);
    expect(calls()[0]?.args[0].input).toEqual({ SecretId: ARN });
  });

  it('picks up a rotated secret once the max age has passed, without a restart', async () => {
    const secret = source({ maxAgeMs: 60_000 });
    await secret.read();
    smValue = { signingSecret: rotatedSigningSecret, stateSecret };

    now += 30_000;
    expect((await secret.read()).signingSecret).toBe(signingSecret);
    now += 30_000;
    expect((await secret.read()).signingSecret).toBe(rotatedSigningSecret);
    expect(calls()).toHaveLength(2);
  });

  it('defaults to a 60 s cache', async () => {
    const secret = source();
    await secret.read();
    now += 59_000;
    await secret.read();
    expect(calls()).toHaveLength(1);
    now += 1_000;
    await secret.read();
    expect(calls()).toHaveLength(2);
  });

  it('shares one call among concurrent reads', async () => {
    const secret = source();
    const [a, b, c] = await Promise.all([secret.read(), secret.read(), secret.read()]);

    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(calls()).toHaveLength(1);
  });

  it('fails a cold read with the ARN and the AWS error name when the secret does not exist, and tries again next time', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'Secrets Manager can\'t find the specified secret.', $metadata: {} }))
      .resolves({ SecretString: JSON.stringify({ signingSecret, stateSecret }) });
    const secret = source();
    const error = await rejection(secret);

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.code).toBe('SECRET_UNAVAILABLE');
    expect(error.message).toBe(`secret ${ARN} could not be read: ResourceNotFoundException`);
    expect(error.secretId).toBe(ARN);
    await expect(secret.read()).resolves.toMatchObject({ signingSecret });
  });

  it('never repeats the stored text when it is not JSON (the parser would quote it)', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `${signingSecret} oops` });
    const error = await rejection(source());

    expect(error).toBeInstanceOf(SecretMalformedError);
    expect((error as SecretMalformedError).problems).toEqual(['is not JSON: store the fields as one JSON object, e.g. {"field":"value"}']);
    expect(error.message).not.toContain(signingSecret);
    expect(error.cause).toBeUndefined();
  });

  it('refuses a binary secret, naming why', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    const error = await rejection(source());

    expect((error as SecretMalformedError).problems).toEqual([expect.stringContaining('holds no SecretString')]);
  });

  it('keeps serving the value it holds when a refresh fails, says so, and tries again only after another max age', async () => {
    const failures: SecretSourceError[] = [];
    const secret = source({ maxAgeMs: 60_000, onRefreshFailed: (error) => failures.push(error) });
    const held = await secret.read();
    smValue = { signingSecret: '', stateSecret };

    now += 60_000;
    expect(await secret.read()).toBe(held);
    expect(failures.map((f) => f.message)).toEqual([`secret ${ARN} is malformed:\n  - field "signingSecret" is empty`]);
    now += 59_999;
    await secret.read();
    expect(calls()).toHaveLength(2);

    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    now += 1;
    expect(await secret.read()).toBe(held);
    expect(failures.at(-1)).toBeInstanceOf(SecretUnavailableError);
    expect(calls()).toHaveLength(3);
  });

  it('lets an unexpected error through rather than hide it behind a held value', async () => {
    const onRefreshFailed = vi.fn();
    const secret = new SecretsManagerSecretSource({
      client: { send: () => Promise.resolve({ SecretString: JSON.stringify({ signingSecret, stateSecret }) }) },
      secretId: ARN,
      fields: { required: ['signingSecret'], rules: { signingSecret: () => { throw new TypeError('rule bug'); } } },
      clock,
      onRefreshFailed,
    });

    await expect(secret.read()).rejects.toThrow(TypeError);
    expect(onRefreshFailed).not.toHaveBeenCalled();
  });
});
