import { randomSecret, secretHash } from '../domain/secrets.ts'

/**
 * Confirmation links' tokens: 256 random bits, base64url (43 characters). Only the SHA-256 is
 * stored (confirmation_tokens.token_hash): the database never holds a usable link. A hash of a
 * 256-bit random value needs no salt or slow hash: there is nothing to guess.
 */

export const TOKEN_DAYS = 30
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$'

export function newToken(): { token: string; hashHex: string } {
  const token = randomSecret()
  return { token, hashHex: tokenHashHex(token) }
}

export const tokenHashHex = secretHash
