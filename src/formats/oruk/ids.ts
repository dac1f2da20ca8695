import { createHash } from 'node:crypto'

/** The namespace of Signpost's name-based ORUK ids; migrations/0005_oruk.sql has the same. */
export const ORUK_NAMESPACE = '9b3f6a52-c1e8-4d0f-a7e2-b5c4d3e1f0a9'
const namespaceBytes = Buffer.from(ORUK_NAMESPACE.replace(/-/g, ''), 'hex')

/**
 * A stable UUID (RFC 4122 version 3) for a record that Signpost keeps inside another row:
 * the same name always gives the same id, so ORUK consumers can follow and diff records.
 * SQL's oruk_uuid(name) gives the same value.
 */
export function orukId(...parts: Array<string | number>): string {
  const h = createHash('md5').update(namespaceBytes).update(parts.join(':'), 'utf8').digest()
  h[6] = (h[6] & 0x0f) | 0x30
  h[8] = (h[8] & 0x3f) | 0x80
  const x = h.toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

/** The service_at_location of a scheme at a venue. */
export const salId = (schemeId: string, venueId: string) => orukId('sal', schemeId, venueId)
