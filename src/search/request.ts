import type { Origin } from '../db/spatial.ts'
import type { CursorPosition } from './cursor.ts'
import type { SearchFilters } from './params.ts'

/** What one page's statement is built from, and what each of its rows holds. */

export interface SearchRequest {
  filters: SearchFilters
  origin: Origin | null
  after: CursorPosition | null
  /** UK date: sessions must be current on it. */
  today: string
  now: Date
  /**
   * Suggestions only (suggestions.ts): each scheme's nearest matching venue must lie beyond
   * this many metres (the radius asked), so that the schemes just out of reach are found.
   */
  beyondM?: number
  /** Suggestions only, with a place: the statement answers one row, `matches`, the number of rows of the page, without its items. */
  countOnly?: true
  /** Tests only: smaller thresholds, so that a small directory takes every branch of the place search. */
  tuning?: { nearestVenues?: number; fewWordMatches?: number }
}

export interface SearchRow {
  group: 0 | 1
  distance_key: number | null
  name_key: string | null
  /** The scheme's id. */
  id: string
  /** The item as JSON text, without matching_sessions and next_occurrences. */
  doc: string
  /** Its matching sessions, a JSON array as text. */
  sessions: string
  /** What their summaries and next occurrences need beside them, JSON text (search/filters.ts itemColumns). */
  schedule: string
}
