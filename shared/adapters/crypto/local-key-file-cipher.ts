import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokenCipherError, type SecretContext, type TokenCipher } from '../../ports';
import { decodeSealed, encodeSealed, openWithKey, sealWithKey } from './aes-gcm';

export interface LocalKeyFileCipherOptions {
  /** Where the 32-byte key lives; created (mode 0600, directory 0700) when missing. Embedded: under `.lifeline/`. */
  keyPath: string;
}

const SCHEME = 'lk1';
const KEY_BYTES = 32;

/**
 * The embedded mode's TokenCipher: AES-256-GCM under one local key file. Whoever can read the key
 * file can read the tokens, so the file is created owner-only and a key readable by others is
 * refused rather than used.
 */
export class LocalKeyFileCipher implements TokenCipher {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly options: LocalKeyFileCipherOptions) {}

  async encrypt(plaintext: string, context: SecretContext): Promise<string> {
    const { iv, tag, ciphertext } = sealWithKey(await this.loadKey(), plaintext, context);
    return encodeSealed(SCHEME, [iv, tag, ciphertext]);
  }

  async decrypt(sealed: string, context: SecretContext): Promise<string> {
    const [iv, tag, ciphertext] = decodeSealed(sealed, SCHEME, 3) as [Buffer, Buffer, Buffer];
    return openWithKey(await this.loadKey(), { iv, tag, ciphertext }, context);
  }

  private loadKey(): Promise<Buffer> {
    this.key ??= readOrCreateKey(this.options.keyPath).catch((error: unknown) => {
      this.key = undefined; // a later call may succeed (the directory appeared, permissions fixed)
      throw error;
    });
    return this.key;
  }
}

async function readOrCreateKey(path: string): Promise<Buffer> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // `wx`: two processes starting together must not each write their own key.
    await writeFile(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600); // a umask cannot widen it, but be explicit
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw new TokenCipherError(`cannot create the key file ${path}`, { cause: error });
  }
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new TokenCipherError(`the key file ${path} is readable by others; run: chmod 600 ${path}`);
  }
  const key = await readFile(path);
  if (key.length !== KEY_BYTES) throw new TokenCipherError(`the key file ${path} must hold exactly ${KEY_BYTES} bytes`);
  return key;
}
