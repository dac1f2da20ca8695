import type { Db } from '../db/client.ts'
import type { HolidayRegion } from '../domain/bank-holidays.ts'
import type { Break } from '../domain/schedule-summary.ts'
import type { SessionRule } from '../domain/schedule.ts'
import type { SearchPage, SearchSuggestions } from '../schemas/search.ts'
import { sealCursor, type CursorPosition } from './cursor.ts'
import { nextOccurrencesCached } from './next-occurrences.ts'
import { breaksKey, scheduleSummaryCached, sessionSummaryCached } from './summaries.ts'
import type { PlannedSearch } from './plan.ts'
import type { SearchRow } from './request.ts'
import { findSuggestions } from './suggestions.ts'

/**
 * The same page as JSON text, for the route: the documents come from PostgreSQL as JSON
 * text and are spliced in as they are, with only the small session lists parsed (for
 * next_occurrences and the summaries). Parsing and serialising the documents again was a
 * fifth of the server's time and most of its garbage; test/search/page.test.ts checks the
 * text against the SearchPage schema with no undeclared field allowed. A first page with a
 * place and no items carries suggestions (suggestions.ts) unless `suggest` is false
 * (SEARCH_SUGGESTIONS).
 */
export async function searchPageJson(db: Db, plan: PlannedSearch, suggest = true): Promise<string> {
  const rows = await db.query<SearchRow>(plan.statement)
  return pageJson(plan, rows, suggest ? await findSuggestions(db, plan, rows) : null)
}

/** The page's JSON text from its rows and suggestions (npm run bench times this part alone). */
export function pageJson(plan: PlannedSearch, rows: SearchRow[], suggestions: SearchSuggestions | null = null): string {
  const { limit } = plan.request.filters
  const items = rows.slice(0, limit).map((r) => {
    const x = itemSchedule(plan, r)
    return `${r.doc.slice(0, -1)},"schedule_summary":${JSON.stringify(x.schedule_summary)},"matching_sessions":${JSON.stringify(x.matching_sessions)},` +
      `"next_occurrences":${JSON.stringify(x.next_occurrences)}}`
  })
  const origin = plan.origin ? `,"origin":${JSON.stringify(plan.origin)}` : ''
  const help = suggestions ? `,"suggestions":${JSON.stringify(suggestions)}` : ''
  return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(nextCursor(plan, rows))}${origin}${help}}`
}

/** The page of a planned search's rows (limit + 1 of them tell whether there is a next page), with its suggestions if any. */
export function searchPage(plan: PlannedSearch, rows: SearchRow[], suggestions: SearchSuggestions | null = null): SearchPage {
  const { filters } = plan.request
  const items = rows.slice(0, filters.limit).map((r) => ({ ...JSON.parse(r.doc), ...itemSchedule(plan, r) }))
  const body: SearchPage = { items: items as SearchPage['items'], next_cursor: nextCursor(plan, rows) }
  if (plan.origin) body.origin = plan.origin
  if (suggestions) body.suggestions = suggestions
  return body
}

/** A row's `schedule` column (search/filters.ts itemColumns). */
export interface RowSchedule {
  breaks: Break[] | null
  by_arrangement: boolean | null
  always_open: boolean | null
  /** all the scheme's sessions; null when the matching ones are all of them */
  sessions: SessionRule[] | null
}

/** What an item adds to its document: the scheme's one line, the matching sessions with their summaries, their next starts. */
export function itemSchedule(plan: PlannedSearch, r: SearchRow) {
  const { now, today } = plan.request
  const found: Array<SessionRule & { holiday_region?: HolidayRegion }> = JSON.parse(r.sessions)
  const x: RowSchedule = JSON.parse(r.schedule)
  const key = breaksKey(x.breaks)
  // a session that skips bank holidays comes with its calendar (search/filters.ts sessionLists): kept aside, not shown
  let regions: Record<string, HolidayRegion> | undefined
  const matching = found.map((s) => {
    if (s.holiday_region === undefined) return s
    const { holiday_region: region, ...doc } = s
    if (doc.venue_id) (regions ??= {})[doc.venue_id] = region
    return doc
  })
  return {
    schedule_summary: scheduleSummaryCached({ sessions: x.sessions ?? matching, breaks: x.breaks, by_arrangement: x.by_arrangement === true,
      always_open: x.always_open === true }, key),
    matching_sessions: matching.map((s) => ({ ...s, summary: sessionSummaryCached(s, x.breaks, key) })),
    // by arrangement: times agreed with each person, so no next starts
    next_occurrences: x.by_arrangement === true ? [] : nextOccurrencesCached(matching, now, today, { breaks: x.breaks, regions }),
  }
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
