import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import { isUuid } from '../domain/ids.ts'

/**
 * Search cursors: the sort key of the last item of a page, so the next page starts right
 * after it (keyset paging: a scheme whose key does not change is returned exactly once
 * however others are written meanwhile).
 *
 * The key of an in-person item is its distance from the patient's place, which must not
 * end up readable in a log line or a browser history. So the cursor is sealed with
 * AES-256-GCM under a key derived from a server secret and the search itself (every
 * filter and the resolved origin): it is opaque, cannot be forged, and a cursor from
 * another search (or garbage) fails to open, which the route answers with a 400.
 */

/** In-person matches by planar distance, then id; remote matches (or all, without a place) by name, then id. */
export type CursorPosition =
  | { group: 0; distance: number; id: string }
  | { group: 1; name: string; id: string }

const IV = 12
const TAG = 16

function keyFor(secret: string, search: string): Buffer {
  return createHmac('sha256', secret).update('signpost search cursor v1\0').update(search).digest()
}

export function sealCursor(position: CursorPosition, secret: string, search: string): string {
  const key = keyFor(secret, search)
  const plain = JSON.stringify(position.group === 0 ? [0, position.distance, position.id] : [1, position.name, position.id])
  // The nonce is derived from the plaintext (as in SIV): the same page of the same search
  // gets the same cursor (and the same ETag), and a nonce repeats only with its plaintext.
  const iv = createHmac('sha256', key).update('iv\0').update(plain).digest().subarray(0, IV)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

/** The position sealed in a cursor of this search, or null for anything else. */
export function openCursor(cursor: string, secret: string, search: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null
  const raw = Buffer.from(cursor, 'base64url')
  if (raw.length <= IV + TAG) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, search), raw.subarray(0, IV))
    decipher.setAuthTag(raw.subarray(IV, IV + TAG))
    const plain = Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()]).toString('utf8')
    const v = JSON.parse(plain)
    if (!Array.isArray(v) || v.length !== 3 || !isUuid(v[2]) || v[2] !== v[2].toLowerCase()) return null
    if (v[0] === 0 && typeof v[1] === 'number' && Number.isFinite(v[1])) return { group: 0, distance: v[1], id: v[2] }
    if (v[0] === 1 && typeof v[1] === 'string') return { group: 1, name: v[1], id: v[2] }
    return null
  } catch {
    return null
  }
}
