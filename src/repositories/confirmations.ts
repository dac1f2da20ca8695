import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { tokenHashHex } from '../freshness/tokens.ts'
import { CONFIRMATION_LINK, recordHistory } from './history.ts'

/**
 * One-click confirmation (GET and POST /confirm/{token}): the token is the authority, for one
 * scheme at one version, once, until it expires. Only its SHA-256 is looked up.
 */

export type TokenState =
  | { state: 'valid'; schemeId: string }
  | { state: 'unknown' | 'used' | 'expired' | 'changed' | 'gone'; schemeId?: string }

export type Answer = 'confirmed' | 'ended'

interface TokenRow { scheme_id: string; scheme_version: number; expired: boolean; used: boolean; version: number; deleted: boolean; status: string }

async function readToken(db: Db, token: string, now: Date, lock: boolean): Promise<TokenState> {
  const [t] = await db.query<TokenRow>(sql`
    SELECT t.scheme_id, t.scheme_version, t.expires_at <= ${now.toISOString()}::timestamptz AS expired, t.used_at IS NOT NULL AS used,
      s.version, s.deleted_at IS NOT NULL AS deleted, s.status
    FROM confirmation_tokens t JOIN schemes s ON s.id = t.scheme_id
    WHERE t.token_hash = decode(${tokenHashHex(token)}, 'hex')
    ${lock ? sql`FOR UPDATE` : sql``}`)
  if (!t) return { state: 'unknown' }
  const schemeId = t.scheme_id
  if (t.used) return { state: 'used', schemeId }
  if (t.expired) return { state: 'expired', schemeId }
  if (t.deleted || t.status === 'ended') return { state: 'gone', schemeId }
  // bound to the version the reminder was about: a change since is someone else's confirmation
  if (t.version !== t.scheme_version) return { state: 'changed', schemeId }
  return { state: 'valid', schemeId }
}

/** What a link is good for now, changing nothing. */
export const tokenState = (db: Db, token: string, now: Date) => readToken(db, token, now, false)

/**
 * Uses a valid token: "still correct" stamps last_verified_at (as POST /verify does, history
 * action verify) and lists the scheme again; "has ended" also sets status ended (history
 * action update). Either way the actor is the confirmation link. Anything but a valid token
 * changes nothing and says why.
 */
export async function useToken(db: Db, token: string, answer: Answer, now: Date): Promise<TokenState> {
  return db.transaction(async (tx) => {
    const found = await readToken(tx, token, now, true)
    if (found.state !== 'valid') return found
    const id = found.schemeId
    const at = sql`${now.toISOString()}::timestamptz`
    await tx.query(sql`
      UPDATE schemes SET last_verified_at = ${at}, unlisted_at = NULL, version = version + 1
        ${answer === 'ended' ? sql`, status = 'ended', updated_at = ${at}` : sql``}
      WHERE id = ${id}`)
    await tx.query(sql`UPDATE confirmation_tokens SET used_at = ${at}, outcome = ${answer} WHERE token_hash = decode(${tokenHashHex(token)}, 'hex')`)
    await recordHistory(tx, id, answer === 'ended' ? 'update' : 'verify', null, CONFIRMATION_LINK)
    return found
  })
}
