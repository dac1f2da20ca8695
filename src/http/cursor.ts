import { ValidationError } from '../errors.ts'
import { isUuid } from '../domain/ids.ts'

/**
 * Keyset cursors: the sort values of the last row of a page, as base64url JSON. Opaque to
 * clients; checked on the way back in, so a forged cursor is a 400, never an SQL error.
 */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')
}

const CHECK = {
  uuid: (v: unknown) => isUuid(v),
  text: (v: unknown) => typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000'),
  int: (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31,
}

export function decodeCursor<T extends Array<keyof typeof CHECK>>(cursor: string | undefined,
  shape: T): { [K in keyof T]: T[K] extends 'int' ? number : string } | null {
  if (cursor === undefined) return null
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    values = undefined
  }
  if (!Array.isArray(values) || values.length !== shape.length || !shape.every((kind, i) => CHECK[kind](values[i]))) {
    throw new ValidationError([{ parameter: 'cursor', message: 'is not a cursor from this list: pass next_cursor back unchanged' }])
  }
  return values as any
}

/** Takes the extra row a repository fetched (limit + 1) and turns the last row into next_cursor. */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => Array<string | number>): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit)
  return { items, next_cursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null }
}
