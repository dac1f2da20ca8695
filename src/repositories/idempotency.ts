import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'

/** How long a stored answer is replayed; after that the key may be used afresh. */
export const IDEMPOTENCY_WINDOW = '24 hours'

export interface StoredAnswer {
  request_hash: string
  status: number
  headers: Record<string, string>
  body: unknown
}

/** The committed answer for (key id, Idempotency-Key), if still within the window. */
export async function findAnswer(db: Db, keyId: string, key: string): Promise<StoredAnswer | null> {
  const [row] = await db.query<StoredAnswer>(sql`
    SELECT request_hash, status, headers, body FROM idempotency_keys
    WHERE actor_key_id = ${keyId} AND key = ${key} AND status > 0
      AND created_at > now() - ${IDEMPOTENCY_WINDOW}::interval`)
  return row ?? null
}

/**
 * Claims the key inside the write's own transaction. A concurrent request with the same key
 * waits here on the primary key until the first commits (then gets false and replays) or
 * rolls back (then claims it itself): two requests can never both create.
 */
export async function claimKey(tx: Db, keyId: string, key: string, method: string, path: string, hash: string): Promise<boolean> {
  // This key if it expired, and a small batch of other expired answers, so the table stays small.
  await tx.query(sql`
    DELETE FROM idempotency_keys
    WHERE (actor_key_id = ${keyId} AND key = ${key} AND created_at <= now() - ${IDEMPOTENCY_WINDOW}::interval)
       OR ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at <= now() - ${IDEMPOTENCY_WINDOW}::interval ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)`)
  const rows = await tx.query(sql`
    INSERT INTO idempotency_keys (actor_key_id, key, method, path, request_hash, status)
    VALUES (${keyId}, ${key}, ${method}, ${path}, ${hash}, 0)
    ON CONFLICT (actor_key_id, key) DO NOTHING RETURNING key`)
  return rows.length > 0
}

export async function storeAnswer(tx: Db, keyId: string, key: string, answer: Omit<StoredAnswer, 'request_hash'>): Promise<void> {
  await tx.query(sql`
    UPDATE idempotency_keys SET status = ${answer.status}, headers = ${JSON.stringify(answer.headers)}::jsonb,
      body = ${JSON.stringify(answer.body ?? null)}::jsonb
    WHERE actor_key_id = ${keyId} AND key = ${key}`)
}
