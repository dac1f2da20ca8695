import type { ProblemItem } from '../errors.ts'
import { addDays, isCalendarDate } from '../domain/schedule.ts'
import { parseSearchParams, type SearchFilters } from '../search/params.ts'
import type { DemandQuery } from '../repositories/demand.ts'

/**
 * The insights' query strings. Their filter codes go through search's own parser
 * (src/search/params.ts), so that `period=evening` means here what it means in search and an
 * unknown code is refused with the same words; the date range is checked here.
 */

export const DEFAULT_DAYS = 30
export const MAX_DAYS = 366

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ProblemItem[] }

/** from/to (UK dates): default the last 30 days to today; from ≤ to, at most 366 days. */
export function dateRange(raw: Record<string, unknown>, today: string, errors: ProblemItem[]): { from: string; to: string } {
  const fail = (parameter: string, message: string) => errors.push({ parameter, message })
  const read = (name: string): string | null | undefined => {
    const v = raw[name]
    if (v === undefined) return undefined
    if (typeof v !== 'string' || !isCalendarDate(v)) { fail(name, 'must be a date YYYY-MM-DD'); return null }
    return v
  }
  const to = read('to')
  const from = read('from')
  const t = to ?? today
  const f = from ?? addDays(t, -(DEFAULT_DAYS - 1))
  if (to !== null && from !== null) {
    if (f > t) fail('from', `must not be after to (${t})`)
    else if (addDays(f, MAX_DAYS) < t) fail('to', `must be at most ${MAX_DAYS} days after from (${f})`)
  }
  return { from: f, to: t }
}

/** Search's filters from the insights' parameters alone (the others are not theirs to pass on). */
export function filtersOf(raw: Record<string, unknown>, names: string[], today: string, errors: ProblemItem[]): SearchFilters | null {
  const picked: Record<string, unknown> = {}
  for (const n of names) if (raw[n] !== undefined) picked[n] = raw[n]
  const parsed = parseSearchParams(picked, today)
  if (!parsed.ok) { errors.push(...parsed.errors); return null }
  return parsed.filters
}

export const DEMAND_PARAMETERS = ['need', 'category', 'period', 'days', 'accessibility', 'delivery', 'audience', 'free']

/** GET /v1/insights/demand's query → the rows to read and the kind of area, or every problem. */
export function parseDemandQuery(raw: Record<string, unknown>, today: string, schemaErrors: ProblemItem[] = []):
  Parsed<{ query: DemandQuery; area: 'local_authority' | 'nation' }> {
  const errors = [...schemaErrors]
  const { from, to } = dateRange(raw, today, errors)
  const f = filtersOf(raw, DEMAND_PARAMETERS, today, errors)
  if (errors.length || !f) return { ok: false, errors: unique(errors) }
  const lists: DemandQuery['lists'] = {
    needs: f.needs ?? undefined, categories: f.categories ?? undefined, periods: f.periods ?? undefined, days: f.days ?? undefined,
    accessibility: f.accessibility ?? undefined, audience: f.audience ?? undefined,
    // search fills in a default delivery; here only an asked one narrows
    delivery: raw.delivery !== undefined ? f.delivery : undefined,
  }
  return { ok: true, value: { query: { from, to, lists, free: f.free ?? undefined }, area: raw.area === 'nation' ? 'nation' : 'local_authority' } }
}

/** One problem per parameter, the first said. */
export function unique(errors: ProblemItem[]): ProblemItem[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = e.parameter ?? e.pointer ?? e.message
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
