import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { keyJson } from '../db/documents.ts'
import { ValidationError } from '../errors.ts'
import type { Actor, Role } from '../domain/access.ts'
import { randomSecret, secretHash } from '../domain/secrets.ts'
import type { ShapeVerdict } from '../domain/validate.ts'
import { mergeProblems, nulProblems, shapeProblems } from '../domain/scheme-rules.ts'
import { organisationExists } from './organisations.ts'
import type { Key, KeyCreated } from '../schemas/key.ts'

/** 'sp_' + 32 random bytes, base64url: 256 bits, safe in a header and in ADMIN_API_KEY's alphabet. */
export function generateKey(): string {
  return 'sp_' + randomSecret()
}

/** Keys are stored only as this hash (src/domain/secrets.ts). */
export const hashKey = secretHash

/** Makes a key and stores its hash; the returned document is the only place the secret appears. */
export async function insertKey(db: Db, input: { role: Role; organisationId?: string | null; label?: string | null }): Promise<KeyCreated & { key: string }> {
  const key = generateKey()
  const [row] = await db.query<{ doc: KeyCreated }>(sql`
    INSERT INTO api_keys AS k (role, organisation_id, label, key_hash)
    VALUES (${input.role}, ${input.organisationId ?? null}, ${input.label ?? null}, ${hashKey(key)})
    RETURNING jsonb_build_object('id', k.id, 'role', k.role, 'organisation_id', k.organisation_id, 'label', k.label) AS doc`)
  return { ...row.doc, key }
}

/** ADMIN_API_KEY at start-up: stored once (label 'bootstrap'); a revoked one stays revoked. */
export async function bootstrapAdminKey(db: Db, key: string): Promise<void> {
  await db.query(sql`
    INSERT INTO api_keys (role, label, key_hash) VALUES ('admin', 'bootstrap', ${hashKey(key)})
    ON CONFLICT (key_hash) DO NOTHING`)
}

export type KeyLookup = { actor: Actor; revoked: boolean } | null

/**
 * The key with this secret, if any. last_used_at is written at most once a minute per key,
 * so a busy key does not turn every read into a write.
 */
export async function findKey(db: Db, key: string): Promise<KeyLookup> {
  const [row] = await db.query<{ id: string; role: Role; organisation_id: string | null; revoked: boolean; touch: boolean }>(sql`
    SELECT id, role, organisation_id, revoked_at IS NOT NULL AS revoked,
           (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS touch
    FROM api_keys WHERE key_hash = ${hashKey(key)}`)
  if (!row) return null
  if (row.touch && !row.revoked) {
    await db.query(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}`)
  }
  return { actor: { keyId: row.id, role: row.role, organisationId: row.organisation_id }, revoked: row.revoked }
}

export async function getKey(db: Db, id: string): Promise<Key | null> {
  const [row] = await db.query<{ doc: Key }>(sql`SELECT ${keyJson('k')} AS doc FROM api_keys k WHERE k.id = ${id}`)
  return row?.doc ?? null
}

/** Keys in id order, after the cursor's id; one more than asked so the caller knows if a page follows. */
export async function listKeys(db: Db, limit: number, afterId: string | null): Promise<Key[]> {
  const rows = await db.query<{ doc: Key }>(sql`
    SELECT ${keyJson('k')} AS doc FROM api_keys k
    WHERE ${afterId === null ? sql`true` : sql`k.id > ${afterId}::uuid`}
    ORDER BY k.id LIMIT ${limit + 1}`)
  return rows.map((r) => r.doc)
}

/** Revokes at once; revoking a revoked key changes nothing. False when there is no such key. */
export async function revokeKey(db: Db, id: string): Promise<boolean> {
  const rows = await db.query(sql`
    UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING id`)
  return rows.length > 0
}

/** POST /v1/keys: a publisher key names its organisation; the others must not. `checked`: the route's verdict on the body's shape. */
export async function createKey(tx: Db, body: unknown, checked?: ShapeVerdict): Promise<KeyCreated & { key: string }> {
  const problems = mergeProblems(shapeProblems('KeyCreate', body, [], checked), nulProblems(body))
  const b = (body ?? {}) as { role?: unknown; organisation_id?: unknown; label?: string }
  const orgId = typeof b.organisation_id === 'string' ? b.organisation_id : undefined
  if (b.role === 'publisher' && b.organisation_id === undefined) problems.push({ pointer: '/organisation_id',
    message: 'is required for a publisher key: the organisation it may edit' })
  if ((b.role === 'admin' || b.role === 'reader' || b.role === 'analyst') && b.organisation_id !== undefined) problems.push({ pointer: '/organisation_id',
    message: `is only for publisher keys, not ${b.role} keys` })
  if (problems.length === 0 && orgId && !(await organisationExists(tx, orgId))) {
    problems.push({ pointer: '/organisation_id', message: 'is not the id of an organisation' })
  }
  if (problems.length) throw new ValidationError(problems)
  return insertKey(tx, { role: b.role as Role, organisationId: orgId ?? null, label: b.label ?? null })
}
