import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenCipherError, type SecretContext } from '../../ports';

// AES-256-GCM with a fresh 96-bit IV per secret and the secret's context as additional data, so
// a ciphertext only opens under the installation and purpose it was sealed for.

const IV_BYTES = 12;
const TAG_BYTES = 16;

export const additionalData = (context: SecretContext): Buffer =>
  Buffer.from(`lifeline/v1/${context.appId}/${context.installId}/${context.purpose}`, 'utf8');

export interface SealedParts {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function sealWithKey(key: Uint8Array, plaintext: string, context: SecretContext): SealedParts {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

export function openWithKey(key: Uint8Array, parts: SealedParts, context: SecretContext): string {
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) throw new TokenCipherError('malformed ciphertext');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    // Deliberately vague: which of key, context or bytes was wrong is no one's business.
    throw new TokenCipherError('ciphertext does not open with this key and context', { cause: error });
  }
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** `<scheme>.<part>.<part>…`, base64url parts: one opaque string the store keeps as is. */
export const encodeSealed = (scheme: string, parts: Uint8Array[]): string => [scheme, ...parts.map(b64)].join('.');

export function decodeSealed(sealed: string, scheme: string, count: number): Buffer[] {
  const [prefix, ...rest] = sealed.split('.');
  if (prefix !== scheme || rest.length !== count || rest.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new TokenCipherError(`not a ${scheme} ciphertext`);
  }
  return rest.map((p) => Buffer.from(p, 'base64url'));
}
