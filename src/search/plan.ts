import type { SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { type AppError, type ProblemItem, UnprocessableError, ValidationError } from '../errors.ts'
import { resolvePostcode } from '../geo/postcodes.ts'
import { decodeCursor, encodeCursor, type CursorPosition } from '../domain/cursor.ts'
import { ukDate } from '../domain/schedule.ts'
import { nextOccurrencesCached } from './next-occurrences.ts'
import { canonicalSearch, parseSearchParams } from '../domain/search-params.ts'
import { cursorSecret, searchStatement, type SearchRequest, type SearchRow } from '../repositories/search.ts'
import type { SearchPage } from '../schemas/search.ts'

/**
 * SPEC §3 search, between the HTTP route and the SQL: the query (after Ajv) becomes a
 * planned statement, and its rows become a page. The route and `npm run bench` share it,
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
    const found = await resolvePostcode(filters.place.postcode)
    if (!found.ok) {
      const item = [{ parameter: 'postcode', message: found.message }]
      return { ok: false, error: found.reason === 'malformed' ? new ValidationError(item) : new UnprocessableError(found.message, item) }
    }
    origin = { lat: found.lat, lon: found.lon, precision: found.precision }
  } else if (filters.place) {
    origin = { lat: filters.place.lat, lon: filters.place.lon, precision: 'coordinates' }
  }
  const point = origin && { lat: origin.lat, lon: origin.lon }

  const secret = await cursorSecret(db)
  const search = canonicalSearch(filters, point)
  let after: CursorPosition | null = null
  if (filters.cursor) {
    after = decodeCursor(filters.cursor, secret, search)
    if (!after) {
      return { ok: false, error: new ValidationError([{ parameter: 'cursor', message: 'is not a cursor of this search: pass next_cursor unchanged, with the same other parameters, or start again without it' }]) }
    }
  }
  const request: SearchRequest = { filters, origin: point, after, today, now }
  return { ok: true, request, statement: searchStatement(request), origin, secret, search }
}

/**
 * The same page as JSON text, for the route: the documents come from PostgreSQL as JSON
 * text and are spliced in as they are, with only the small matching-session lists parsed
 * (for next_occurrences). Parsing and serialising them again was a fifth of the server's
 * time and most of its garbage; test/services/search-page.test.ts checks the text against
 * the SearchPage schema with no undeclared field allowed.
 */
export async function runSearchJson(db: Db, plan: PlannedSearch): Promise<string> {
  const rows = await db.query<SearchRow>(plan.statement)
  const { limit } = plan.request.filters
  const { now, today } = plan.request
  const items = rows.slice(0, limit).map((r) => {
    const next = nextOccurrencesCached(JSON.parse(r.sessions), now, today)
    return `${r.doc.slice(0, -1)},"matching_sessions":${r.sessions},"next_occurrences":${JSON.stringify(next)}}`
  })
  const origin = plan.origin ? `,"origin":${JSON.stringify(plan.origin)}` : ''
  return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(nextCursor(plan, rows))}${origin}}`
}

/** The page of a planned search's rows (limit + 1 of them tell whether there is a next page). */
export function pageOf(plan: PlannedSearch, rows: SearchRow[]): SearchPage {
  const { filters, now, today } = plan.request
  const items = rows.slice(0, filters.limit).map((r) => {
    const sessions = JSON.parse(r.sessions)
    return { ...JSON.parse(r.doc), matching_sessions: sessions, next_occurrences: nextOccurrencesCached(sessions, now, today) }
  })
  const body: SearchPage = { items: items as SearchPage['items'], next_cursor: nextCursor(plan, rows) }
  if (plan.origin) body.origin = plan.origin
  return body
}

/** The cursor after the last item of the page, when there is a next page. */
function nextCursor(plan: PlannedSearch, rows: SearchRow[]): string | null {
  const { limit } = plan.request.filters
  const last = rows[limit - 1]
  if (rows.length <= limit || !last) return null
  const position: CursorPosition = last.group === 0
    ? { group: 0, distance: Number(last.distance_key), id: last.id }
    : { group: 1, name: String(last.name_key), id: last.id }
  return encodeCursor(position, plan.secret, plan.search)
}
