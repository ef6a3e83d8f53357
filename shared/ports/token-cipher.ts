/**
 * What a sealed secret is bound to. The same value seals the encryption (KMS encryption context,
 * AES-GCM additional data) and must be given again to open it, so a ciphertext copied onto
 * another installation, or a refresh token swapped for a bot token, fails to decrypt.
 */
export interface SecretContext {
  appId: string;
  /** The installation: team id, or enterprise id for an org-wide install. */
  installId: string;
  purpose: 'bot_token' | 'refresh_token';
}

/**
 * Seals tokens before they reach the store; the store only ever holds the opaque strings this
 * returns. AWS: a KMS data key per secret (envelope encryption); embedded: a local key file.
 */
export interface TokenCipher {
  encrypt(plaintext: string, context: SecretContext): Promise<string>;
  /** Throws `TokenCipherError` for a tampered, foreign or unreadable ciphertext. */
  decrypt(sealed: string, context: SecretContext): Promise<string>;
}

export class TokenCipherError extends Error {
  readonly code = 'TOKEN_CIPHER';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
