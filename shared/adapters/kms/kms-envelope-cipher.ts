import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { TokenCipherError, type SecretContext, type TokenCipher } from '../../ports';
import { decodeSealed, encodeSealed, openWithKey, sealWithKey } from '../crypto';

export interface KmsEnvelopeCipherOptions {
  client: Pick<KMSClient, 'send'>;
  /** Key id, ARN or alias of the symmetric KMS key (the stateful stack's key). */
  keyId: string;
}

const SCHEME = 'kms1';

/** KMS encryption context: logged by CloudTrail and required again to decrypt. Ids only, never secrets. */
const encryptionContext = (context: SecretContext): Record<string, string> => ({
  app: context.appId,
  installation: context.installId,
  purpose: context.purpose,
});

/**
 * Envelope encryption: one KMS data key per secret (`GenerateDataKey`), AES-256-GCM locally, and
 * only the KMS-encrypted data key stored beside the ciphertext. The plaintext data key lives for
 * one call and is zeroed after. The encryption context binds app, installation and purpose, so
 * KMS itself refuses to unwrap a key for another installation.
 */
export class KmsEnvelopeCipher implements TokenCipher {
  constructor(private readonly options: KmsEnvelopeCipherOptions) {}

  async encrypt(plaintext: string, context: SecretContext): Promise<string> {
    const out = await this.call('GenerateDataKey', () =>
      this.options.client.send(
        new GenerateDataKeyCommand({ KeyId: this.options.keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(context) }),
      ),
    );
    if (!out.Plaintext || !out.CiphertextBlob || out.Plaintext.length !== 32) throw new TokenCipherError('KMS GenerateDataKey returned no usable key');
    try {
      const { iv, tag, ciphertext } = sealWithKey(out.Plaintext, plaintext, context);
      return encodeSealed(SCHEME, [out.CiphertextBlob, iv, tag, ciphertext]);
    } finally {
      out.Plaintext.fill(0);
    }
  }

  async decrypt(sealed: string, context: SecretContext): Promise<string> {
    const [dataKey, iv, tag, ciphertext] = decodeSealed(sealed, SCHEME, 4) as [Buffer, Buffer, Buffer, Buffer];
    const out = await this.call('Decrypt', () =>
      this.options.client.send(
        new DecryptCommand({ CiphertextBlob: dataKey, KeyId: this.options.keyId, EncryptionContext: encryptionContext(context) }),
      ),
    );
    if (!out.Plaintext) throw new TokenCipherError('KMS Decrypt returned no key');
    try {
      return openWithKey(out.Plaintext, { iv, tag, ciphertext }, context);
    } finally {
      out.Plaintext.fill(0);
    }
  }

  /** The SDK's errors stay behind this boundary; callers see one `TokenCipherError` with a cause. */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new TokenCipherError(`KMS ${operation} failed: ${name}`, { cause: error });
    }
  }
}
