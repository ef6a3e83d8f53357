import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalKeyFileCipher } from '../../shared/adapters/crypto';
import { KmsEnvelopeCipher } from '../../shared/adapters/kms';
import { TokenCipherError, type SecretContext } from '../../shared/ports';

const TOKEN = 'xoxb-111111111111-2222222222222-abcdefghijklmnopqrstuvwx';
const ctx: SecretContext = { appId: 'A0APP', installId: 'T0TEAM', purpose: 'bot_token' };

describe('LocalKeyFileCipher', () => {
  const freshPath = () => join(mkdtempSync(join(tmpdir(), 'lifeline-cipher-')), '.lifeline', 'token.key');

  it('creates a 32-byte key, owner-only, in an owner-only directory, and round-trips', async () => {
    const keyPath = freshPath();
    const cipher = new LocalKeyFileCipher({ keyPath });

    const sealed = await cipher.encrypt(TOKEN, ctx);

    expect(readFileSync(keyPath)).toHaveLength(32);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(keyPath, '..')).mode & 0o077).toBe(0);
    expect(sealed).toMatch(/^lk1\./);
    expect(sealed).not.toContain('xoxb');
    expect(await cipher.decrypt(sealed, ctx)).toBe(TOKEN);
    expect(await new LocalKeyFileCipher({ keyPath }).decrypt(sealed, ctx)).toBe(TOKEN);
  });

  it('seals the same token differently every time (fresh IV)', async () => {
    const cipher = new LocalKeyFileCipher({ keyPath: freshPath() });
    expect(await cipher.encrypt(TOKEN, ctx)).not.toBe(await cipher.encrypt(TOKEN, ctx));
  });

  it('refuses another installation, another purpose, a tampered byte, and another key', async () => {
    const cipher = new LocalKeyFileCipher({ keyPath: freshPath() });
    const sealed = await cipher.encrypt(TOKEN, ctx);
    const [scheme, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;

    await expect(cipher.decrypt(sealed, { ...ctx, installId: 'T0OTHER' })).rejects.toBeInstanceOf(TokenCipherError);
    await expect(cipher.decrypt(sealed, { ...ctx, purpose: 'refresh_token' })).rejects.toBeInstanceOf(TokenCipherError);
    await expect(cipher.decrypt([scheme, iv, tag, flipped.toString('base64url')].join('.'), ctx)).rejects.toBeInstanceOf(TokenCipherError);
    await expect(cipher.decrypt('kms1.a.b.c.d', ctx)).rejects.toBeInstanceOf(TokenCipherError);
    await expect(new LocalKeyFileCipher({ keyPath: freshPath() }).decrypt(sealed, ctx)).rejects.toThrow(/does not open/);
  });

  it('refuses a key file others can read, or of the wrong size', async () => {
    const loose = freshPath();
    await new LocalKeyFileCipher({ keyPath: loose }).encrypt(TOKEN, ctx);
    chmodSync(loose, 0o644);
    await expect(new LocalKeyFileCipher({ keyPath: loose }).encrypt(TOKEN, ctx)).rejects.toThrow(/readable by others/);

    const short = freshPath();
    await new LocalKeyFileCipher({ keyPath: short }).encrypt(TOKEN, ctx);
    writeFileSync(short, Buffer.alloc(16));
    await expect(new LocalKeyFileCipher({ keyPath: short }).encrypt(TOKEN, ctx)).rejects.toThrow(/exactly 32 bytes/);
  });
});

describe('KmsEnvelopeCipher', () => {
  const kms = mockClient(KMSClient);
  const wrapped = Buffer.from('wrapped-data-key-from-kms');
  let issuedKey: Uint8Array;

  beforeEach(() => {
    kms.reset();
    // Plays KMS: hands out a data key bound to its context, and unwraps it only under that context.
    let boundContext: Record<string, string> | undefined;
    kms.on(GenerateDataKeyCommand).callsFake((input: { EncryptionContext?: Record<string, string> }) => {
      boundContext = input.EncryptionContext;
      issuedKey = new Uint8Array(Buffer.alloc(32, 7));
      return { Plaintext: issuedKey, CiphertextBlob: wrapped, KeyId: 'arn:aws:kms:eu-west-1:1:key/k' };
    });
    kms.on(DecryptCommand).callsFake((input: { EncryptionContext?: Record<string, string>; CiphertextBlob?: Uint8Array }) => {
      if (JSON.stringify(input.EncryptionContext) !== JSON.stringify(boundContext)) {
        throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
      }
      return { Plaintext: new Uint8Array(Buffer.alloc(32, 7)) };
    });
  });

  const cipher = () => new KmsEnvelopeCipher({ client: new KMSClient({ region: 'eu-west-1' }), keyId: 'alias/lifeline-tokens' });

  it('asks KMS for an AES-256 data key bound to app, installation and purpose, and stores only the wrapped key', async () => {
    const sealed = await cipher().encrypt(TOKEN, ctx);

    const call = kms.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input;
    expect(call).toEqual({
      KeyId: 'alias/lifeline-tokens',
      KeySpec: 'AES_256',
      EncryptionContext: { app: 'A0APP', installation: 'T0TEAM', purpose: 'bot_token' },
    });
    expect(sealed.split('.')[0]).toBe('kms1');
    expect(Buffer.from(sealed.split('.')[1] ?? '', 'base64url')).toEqual(wrapped);
    expect(sealed).not.toContain('xoxb');
    expect(Buffer.from(issuedKey).every((b) => b === 0)).toBe(true); // the plaintext data key was wiped
  });

  it('round-trips through Decrypt with the same context and key id', async () => {
    const sealed = await cipher().encrypt(TOKEN, ctx);

    expect(await cipher().decrypt(sealed, ctx)).toBe(TOKEN);
    const call = kms.commandCalls(DecryptCommand)[0]?.args[0].input;
    expect(call?.KeyId).toBe('alias/lifeline-tokens');
    expect(Buffer.from(call?.CiphertextBlob ?? [])).toEqual(wrapped);
    expect(call?.EncryptionContext).toEqual({ app: 'A0APP', installation: 'T0TEAM', purpose: 'bot_token' });
  });

  it('fails with a TokenCipherError when KMS refuses (another installation) or errs', async () => {
    const sealed = await cipher().encrypt(TOKEN, ctx);
    await expect(cipher().decrypt(sealed, { ...ctx, installId: 'T0OTHER' })).rejects.toThrow(/KMS Decrypt failed: InvalidCiphertextException/);

    kms.on(GenerateDataKeyCommand).rejects(new NotFoundException({ message: 'no such key', $metadata: {} }));
    const failure = await cipher().encrypt(TOKEN, ctx).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TokenCipherError);
    expect((failure as Error).message).toBe('KMS GenerateDataKey failed: NotFoundException');
  });
});
