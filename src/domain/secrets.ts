import { createHash, randomBytes } from 'node:crypto'

/**
 * The one form of every secret the service makes (API keys, confirmation links, webhook
 * secrets): 256 random bits, base64url (43 characters), safe in a header, a URL and a shell.
 */
export const randomSecret = (): string => randomBytes(32).toString('base64url')

/**
 * How a secret the service made is stored: its SHA-256, hex. A fast hash suffices: the secrets
 * are random, not passwords, so there is nothing to guess and no salt is needed.
 */
export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex')
