/** A UUID in its canonical 8-4-4-4-12 hex form, any case: every id of the API. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_PATTERN.test(s)

/** One JSON Pointer token (RFC 6901): `~` → `~0`, `/` → `~1`. */
export const escapePointer = (s: string) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')
