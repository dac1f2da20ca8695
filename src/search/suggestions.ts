import type { SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import type { SearchSuggestions } from '../schemas/search.ts'
import { relaxations } from './params.ts'
import type { PlannedSearch } from './plan.ts'
import type { SearchRequest, SearchRow } from './request.ts'
import { searchStatement } from './statement.ts'

/**
 * Help when nothing matches (docs/search.md, "When nothing matches"): a first page with a place
 * and no items carries the nearest schemes that match every filter beyond the radius, and, for
 * each filter asked, how many schemes would match within the radius without it. Every
 * statement here is the search's own (statement.ts), planned again with other filters: no
 * second copy of the search's SQL to drift from the first.
 */

/** How far beyond the radius the nearest schemes are sought. */
export const NEAREST_WITHIN_M = 50_000
/** How many of them. */
export const NEAREST_COUNT = 3
/** `without` counts stop here (`capped`): each reads at most this many schemes and one more. */
export const WITHOUT_CAP = 50
/**
 * Past this many filters asked (each accessibility code one), `without` is left out: each
 * filter costs about one search more, and so many at once seldom come down to one culprit.
 */
export const WITHOUT_MAX_FILTERS = 8

/** The search with other filters (the limit among them), from its first page. */
function firstPage(r: SearchRequest, filters: SearchRequest['filters']): SearchRequest {
  return { ...r, filters: { ...filters, cursor: null }, after: null }
}

/**
 * The nearest in-person matches beyond the radius: the search itself, in person only (a
 * remote scheme is not beyond a radius), over NEAREST_WITHIN_M, keeping only the schemes whose
 * nearest matching venue lies beyond the radius asked. Null when the search asks for no
 * in-person match or its radius already reaches that far.
 */
export function nearestStatement(r: SearchRequest): SQL | null {
  const f = r.filters
  if (!r.origin || !f.delivery.includes('in_person') || f.radiusM >= NEAREST_WITHIN_M) return null
  const wide = firstPage(r, { ...f, delivery: ['in_person'], radiusM: NEAREST_WITHIN_M, limit: NEAREST_COUNT })
  return searchStatement({ ...wide, beyondM: f.radiusM })
}

/**
 * For each asked filter, the search without it, counted up to WITHOUT_CAP + 1: the place
 * statement with limit WITHOUT_CAP, whose page rows are counted instead of made into items
 * (`countOnly`). Null past WITHOUT_MAX_FILTERS filters, or without a place.
 */
export function withoutStatements(r: SearchRequest): Array<{ without: string; statement: SQL }> | null {
  const each = relaxations(r.filters)
  if (!r.origin || each.length > WITHOUT_MAX_FILTERS) return null
  return each.map(({ without, filters }) => ({
    without,
    statement: searchStatement({ ...firstPage(r, { ...filters, limit: WITHOUT_CAP }), countOnly: true }),
  }))
}

/** Every statement of a page's suggestions, as findSuggestions runs them (together): `npm run bench` runs the same. */
export function suggestionStatements(r: SearchRequest): SQL[] {
  const nearest = nearestStatement(r)
  return [...(nearest ? [nearest] : []), ...(withoutStatements(r) ?? []).map((w) => w.statement)]
}

/** Whether a page gets suggestions: a first page (no cursor) of a search with a place, and no items. */
export function wantsSuggestions(plan: PlannedSearch, rows: readonly SearchRow[]): boolean {
  return rows.length === 0 && plan.origin !== null && plan.request.after === null
}

/**
 * The suggestions of a page, or null when it gets none (wantsSuggestions). The statements run
 * at once, each on its own connection of the pool, so that the answer waits for the slowest
 * of them, not for their sum.
 */
export async function findSuggestions(db: Db, plan: PlannedSearch, rows: readonly SearchRow[]): Promise<SearchSuggestions | null> {
  if (!wantsSuggestions(plan, rows)) return null
  const nearest = nearestStatement(plan.request)
  const without = withoutStatements(plan.request)
  const [near, counts] = await Promise.all([
    nearest ? db.query<SearchRow>(nearest) : [],
    Promise.all((without ?? []).map(async ({ without, statement }) => {
      const [{ matches }] = await db.query<{ matches: number }>(statement)
      return { without, matches: Math.min(matches, WITHOUT_CAP), capped: matches > WITHOUT_CAP }
    })),
  ])
  const suggestions: SearchSuggestions = {
    nearest: near.slice(0, NEAREST_COUNT).map((row) => {
      const { id, name, organisation, distance_m } = JSON.parse(row.doc)
      return { id, name, organisation, distance_m }
    }),
  }
  // most matches first; a filter whose removal alone finds nothing is left out; ties in FILTER_PARAMETERS order (sort is stable)
  if (without) suggestions.without = counts.filter((c) => c.matches > 0).sort((a, b) => b.matches - a.matches)
  return suggestions
}
