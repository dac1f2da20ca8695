import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/client.ts'
import { ConflictError, UnprocessableError, ValidationError } from '../errors.ts'
import { claimKey, findAnswer, storeAnswer } from '../repositories/idempotency.ts'
import type { Outcome } from './respond.ts'

const KEY = /^[\x21-\x7e]{1,255}$/

/** JSON with object keys sorted, so that key order does not make two bodies differ. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

/**
 * Runs a POST's work in one transaction, honouring Idempotency-Key (SPEC §4): the first
 * answer is stored in that same transaction, keyed by the caller's API key; a replay gets
 * it back (status, body, Location, ETag); the same key with another body or URL is a 422.
 * Failed requests store nothing, so a corrected retry with the same key goes through.
 */
export async function idempotent(db: Db, request: FastifyRequest, run: (tx: Db) => Promise<Outcome>): Promise<Outcome> {
  const raw = request.headers['idempotency-key']
  if (raw === undefined || !request.actor) return db.transaction(run)
  if (typeof raw !== 'string' || !KEY.test(raw)) {
    throw new ValidationError([{ header: 'idempotency-key', message: 'must be 1 to 255 visible ASCII characters, e.g. a UUID; send it once' }])
  }
  const keyId = request.actor.keyId
  const path = request.url.split('?')[0]
  const hash = createHash('sha256').update(`${request.method} ${path}\n${canonical(request.body)}`).digest('hex')

  const replay = async (): Promise<Outcome | null> => {
    const stored = await findAnswer(db, keyId, raw)
    if (!stored) return null
    if (stored.request_hash !== hash) {
      throw new UnprocessableError('This Idempotency-Key was already used with another request body or URL. Use a new key for a new request.',
        [{ header: 'idempotency-key', message: 'already used with a different request' }], '/problems/idempotency-key-reused')
    }
    return { status: stored.status, headers: { ...stored.headers, 'idempotent-replayed': 'true' }, body: stored.body }
  }

  const earlier = await replay()
  if (earlier) return earlier
  const outcome = await db.transaction(async (tx) => {
    if (!(await claimKey(tx, keyId, raw, request.method, path, hash))) return null
    const result = await run(tx)
    await storeAnswer(tx, keyId, raw, { status: result.status, headers: result.headers, body: result.stored ?? result.body })
    return result
  })
  if (outcome) return outcome
  const concurrent = await replay()
  if (concurrent) return concurrent
  throw new ConflictError('Another request with this Idempotency-Key is in progress. Try again in a moment.')
}
