import type { Db } from '../db/client.ts'
import type { SearchPage, SearchSuggestions } from '../schemas/search.ts'
import { sealCursor, type CursorPosition } from './cursor.ts'
import { nextOccurrencesCached } from './next-occurrences.ts'
import type { PlannedSearch } from './plan.ts'
import type { SearchRow } from './request.ts'
import { findSuggestions } from './suggestions.ts'

/**
 * The same page as JSON text, for the route: the documents come from PostgreSQL as JSON
 * text and are spliced in as they are, with only the small matching-session lists parsed
 * (for next_occurrences). Parsing and serialising them again was a fifth of the server's
 * time and most of its garbage; test/search/page.test.ts checks the text against
 * the SearchPage schema with no undeclared field allowed. A first page with a place and no
 * items carries suggestions (suggestions.ts) unless `suggest` is false (SEARCH_SUGGESTIONS).
 */
export async function searchPageJson(db: Db, plan: PlannedSearch, suggest = true): Promise<string> {
  const rows = await db.query<SearchRow>(plan.statement)
  const suggestions = suggest ? await findSuggestions(db, plan, rows) : null
  const { limit } = plan.request.filters
  const { now, today } = plan.request
  const items = rows.slice(0, limit).map((r) => {
    const next = r.by_arrangement ? [] : nextOccurrencesCached(JSON.parse(r.sessions), now, today)
    return `${r.doc.slice(0, -1)},"matching_sessions":${r.sessions},"next_occurrences":${JSON.stringify(next)}}`
  })
  const origin = plan.origin ? `,"origin":${JSON.stringify(plan.origin)}` : ''
  const help = suggestions ? `,"suggestions":${JSON.stringify(suggestions)}` : ''
  return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(nextCursor(plan, rows))}${origin}${help}}`
}

/** The page of a planned search's rows (limit + 1 of them tell whether there is a next page), with its suggestions if any. */
export function searchPage(plan: PlannedSearch, rows: SearchRow[], suggestions: SearchSuggestions | null = null): SearchPage {
  const { filters, now, today } = plan.request
  const items = rows.slice(0, filters.limit).map((r) => {
    const sessions = JSON.parse(r.sessions)
    return { ...JSON.parse(r.doc), matching_sessions: sessions, next_occurrences: r.by_arrangement ? [] : nextOccurrencesCached(sessions, now, today) }
  })
  const body: SearchPage = { items: items as SearchPage['items'], next_cursor: nextCursor(plan, rows) }
  if (plan.origin) body.origin = plan.origin
  if (suggestions) body.suggestions = suggestions
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
  return sealCursor(position, plan.secret, plan.search)
}
