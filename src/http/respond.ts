import type { FastifyReply } from 'fastify'
import { etagOf } from './etag.ts'

/** A write's answer: kept as data so that an Idempotency-Key replay can send it again. */
export interface Outcome {
  status: number
  headers: Record<string, string>
  body: unknown
  /** What to keep for a replay when it differs from body (a new key's secret is never kept). */
  stored?: unknown
}

export const created = (location: string, doc: { version?: number }): Outcome =>
  ({ status: 201, headers: { location, ...(doc.version ? { etag: etagOf(doc.version) } : {}) }, body: doc })

export const ok = (doc: { version: number }): Outcome => ({ status: 200, headers: { etag: etagOf(doc.version) }, body: doc })

export function send(reply: FastifyReply, outcome: Outcome): unknown {
  reply.code(outcome.status)
  for (const [k, v] of Object.entries(outcome.headers)) reply.header(k, v)
  return outcome.body
}
