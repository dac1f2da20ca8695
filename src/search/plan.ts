import type { SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { type AppError, type ProblemItem, ValidationError } from '../errors.ts'
import { placeOfPostcode } from '../geo/postcodes.ts'
import { ukDate } from '../domain/schedule.ts'
import { openCursor, type CursorPosition } from './cursor.ts'
import { canonicalSearch, parseSearchParams } from './params.ts'
import type { SearchRequest } from './request.ts'
import { cursorSecret } from './secret.ts'
import { searchStatement } from './statement.ts'

/**
 * SPEC §3 search, between the HTTP route and the SQL: the query (after Ajv) becomes a
 * planned statement (its rows become a page in page.ts). The route and `npm run bench` share it,
 * so the benchmark's raw SQL is exactly what the API runs.
 */

export type Precision = 'postcode' | 'sector' | 'district' | 'coordinates'
export type SearchOrigin = { lat: number; lon: number; precision: Precision }

export interface PlannedSearch {
  ok: true
  request: SearchRequest
  /** The page's one SQL statement. */
  statement: SQL
  origin: SearchOrigin | null
  /** What seals this search's cursors: the server secret and the canonical search. */
  secret: string
  search: string
}

export type SearchPlan = PlannedSearch | { ok: false; error: AppError }

/**
 * Parses the validated query (`schemaErrors`: Ajv's items, merged so that one 400 names
 * every bad parameter), resolves the postcode, opens the cursor and builds the statement.
 */
export async function planSearch(db: Db, query: Record<string, unknown>, now: Date, schemaErrors: ProblemItem[] = []): Promise<SearchPlan> {
  const today = ukDate(now)
  const parsed = parseSearchParams(query, today, schemaErrors)
  if (!parsed.ok) return { ok: false, error: new ValidationError(parsed.errors) }
  const filters = parsed.filters

  let origin: SearchOrigin | null = null
  if (filters.place && 'postcode' in filters.place) {
    const found = await placeOfPostcode(filters.place.postcode)
    if (!found.ok) return found
    origin = { lat: found.lat, lon: found.lon, precision: found.precision }
  } else if (filters.place) {
    origin = { lat: filters.place.lat, lon: filters.place.lon, precision: 'coordinates' }
  }
  const point = origin && { lat: origin.lat, lon: origin.lon }

  const secret = await cursorSecret(db)
  const search = canonicalSearch(filters, point)
  let after: CursorPosition | null = null
  if (filters.cursor) {
    after = openCursor(filters.cursor, secret, search)
    if (!after) {
      return { ok: false,
        error: new ValidationError([{ parameter: 'cursor',
          message: 'is not a cursor of this search: pass next_cursor unchanged, with the same other parameters, or start again without it' }]) }
    }
  }
  const request: SearchRequest = { filters, origin: point, after, today, now }
  return { ok: true, request, statement: searchStatement(request), origin, secret, search }
}
