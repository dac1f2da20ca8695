import { createHmac, timingSafeEqual } from 'node:crypto'
import { randomSecret } from '../../domain/secrets.ts'

/**
 * Webhook signatures (docs/feeds.md, "Verifying a delivery"): the header
 * `Signpost-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>`.
 * The timestamp inside the signed text lets a receiver refuse a replayed delivery.
 */

export const SIGNATURE_HEADER = 'signpost-signature'

/** A new subscription's secret: 256 random bits. */
export function newSecret(): string {
  return `whsec_${randomSecret()}`
}

export function signature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${mac}`
}

/** What a receiver does: true when the header signs this body and is at most `toleranceS` old. */
export function verifySignature(secret: string, header: string, body: string, nowS: number, toleranceS = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS || typeof parts.v1 !== 'string') return false
  const expected = Buffer.from(signature(secret, t, body).split('v1=')[1], 'hex')
  const given = Buffer.from(parts.v1, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
