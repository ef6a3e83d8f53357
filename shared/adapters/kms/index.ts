export { KmsEnvelopeCipher, type KmsEnvelopeCipherOptions } from './kms-envelope-cipher';
