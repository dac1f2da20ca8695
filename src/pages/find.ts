import type { Db } from '../db/client.ts'
import type { ProblemItem } from '../errors.ts'
import { resolvePostcode } from '../geo/postcodes.ts'
import { isCurrent, ukDate } from '../domain/schedule.ts'
import { getLiveScheme } from '../repositories/schemes.ts'
import { getVenue } from '../repositories/venues.ts'
import { searchPage } from '../search/page.ts'
import { planSearch } from '../search/plan.ts'
import { findSuggestions } from '../search/suggestions.ts'
import { nextOccurrencesCached } from '../search/next-occurrences.ts'
import type { SearchRow } from '../search/request.ts'
import type { SearchPage } from '../schemas/search.ts'
import { postcodeMissing, type PostcodeTrouble } from './search-form.ts'

/**
 * The page's two reads, through the API's own services: the search (planSearch, then the
 * planned statement's rows made a page by searchPage, as GET /v1/schemes does) and the
 * scheme repository (as GET /v1/schemes/{id} does). No SQL of its own.
 */

export type Found =
  | { ok: true; page: SearchPage & { suggestions?: unknown } }
  | { ok: false; status: number; errors: ProblemItem[]; postcode?: PostcodeTrouble }

/**
 * `query` is the search's query after validation, `schemaErrors` what validation found.
 * A person's search needs a place: without postcode (or lat and lon) it is refused.
 */
export async function findSchemes(db: Db, query: Record<string, unknown>, now: Date, schemaErrors: ProblemItem[], suggest = true): Promise<Found> {
  const errors = [...schemaErrors]
  if (query.postcode === undefined && query.lat === undefined && query.lon === undefined) errors.push(postcodeMissing)
  const plan = await planSearch(db, query, now, errors)
  if (!plan.ok) {
    const items = plan.error.errors ?? []
    let postcode: PostcodeTrouble | undefined
    if (items.some((i) => i.parameter === 'postcode')) {
      if (typeof query.postcode !== 'string') postcode = 'missing'
      else {
        const found = await resolvePostcode(query.postcode)
        if (!found.ok) postcode = found.reason
      }
    }
    return { ok: false, status: plan.error.status, errors: items, postcode }
  }
  const rows = await db.query<SearchRow>(plan.statement)
  // a first page with nothing on it: the same suggestions as the API's (SEARCH_SUGGESTIONS)
  return { ok: true, page: searchPage(plan, rows, suggest ? await findSuggestions(db, plan, rows) : null) }
}

/**
 * A scheme as its page shows it: the document GET /v1/schemes/{id} serves (NotFoundError,
 * GoneError as there), its venues (the document's own `venues` when it carries them, else
 * each one read as GET /v1/venues/{id} does), its current sessions and next dates.
 */
export async function schemeForPage(db: Db, id: string, now: Date) {
  const doc = await getLiveScheme(db, id) as Record<string, any>
  const today = ukDate(now)
  const sessions: any[] = Array.isArray(doc.sessions) ? doc.sessions : []
  const current = sessions.filter((s) => isCurrent(s, today))
  const venues = new Map<string, Record<string, any>>()
  if (Array.isArray(doc.venues)) {
    for (const v of doc.venues) venues.set(v.id, v)
  } else {
    for (const vid of new Set(current.map((s) => s.venue_id).filter(Boolean))) {
      const found = await getVenue(db, vid)
      if (found && !found.deleted) venues.set(vid, found.doc as Record<string, any>)
    }
  }
  return { doc, venues, current, next: nextOccurrencesCached(current, now, today) }
}
