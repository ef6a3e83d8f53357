import type { InstallationKey, SecretContext, TokenCipher } from '../ports';

// One place that names what each sealed field is bound to, so sealing and opening cannot disagree.

export const botTokenContext = (key: InstallationKey): SecretContext => ({ appId: key.appId, installId: key.installId, purpose: 'bot_token' });

export const refreshTokenContext = (key: InstallationKey): SecretContext => ({ appId: key.appId, installId: key.installId, purpose: 'refresh_token' });

export interface SealedTokens {
  tokenCiphertext: string;
  refreshTokenCiphertext?: string;
  tokenExpiresAt?: number;
}

/** Seals a bot token (and its refresh token, for rotating tokens) for the store. */
export async function sealTokens(
  cipher: TokenCipher,
  key: InstallationKey,
  tokens: { accessToken: string; refreshToken?: string; expiresInS?: number },
  now: number,
): Promise<SealedTokens> {
  const sealed: SealedTokens = { tokenCiphertext: await cipher.encrypt(tokens.accessToken, botTokenContext(key)) };
  if (tokens.refreshToken !== undefined) {
    sealed.refreshTokenCiphertext = await cipher.encrypt(tokens.refreshToken, refreshTokenContext(key));
    if (tokens.expiresInS !== undefined) sealed.tokenExpiresAt = now + tokens.expiresInS * 1000;
  }
  return sealed;
}
