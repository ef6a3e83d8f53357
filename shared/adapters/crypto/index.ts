export { LocalKeyFileCipher, type LocalKeyFileCipherOptions } from './local-key-file-cipher';
export { additionalData, decodeSealed, encodeSealed, openWithKey, sealWithKey, type SealedParts } from './aes-gcm';
