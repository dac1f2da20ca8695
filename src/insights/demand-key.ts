import type { SearchFilters } from '../search/params.ts'

/**
 * What one search adds to the demand figures: its UK date, its local authority and the filter
 * codes it asked, and whether it found anything. Nothing else: not the place, the sector, the
 * time of day, the key, the address nor the request id (docs/insights.md).
 */
export interface DemandKey {
  day: string
  /** a local authority district code; '' when the place was in none */
  area: string
  needs: string[]
  categories: string[]
  periods: string[]
  days: string[]
  accessibility: string[]
  delivery: string[]
  free: boolean | null
  audience: string[]
  found: boolean
}

/** The code-list filters kept, by DemandKey field, with their search parameter and SearchFilters field. */
export const DEMAND_FILTERS = {
  needs: { parameter: 'need', field: 'needs' },
  categories: { parameter: 'category', field: 'categories' },
  periods: { parameter: 'period', field: 'periods' },
  days: { parameter: 'days', field: 'days' },
  accessibility: { parameter: 'accessibility', field: 'accessibility' },
  delivery: { parameter: 'delivery', field: 'delivery' },
  audience: { parameter: 'audience', field: 'audience' },
} as const satisfies Record<string, { parameter: string; field: keyof SearchFilters }>
export type DemandList = keyof typeof DEMAND_FILTERS

/** The key of a search: its filters (code lists already sorted by params.ts), area and outcome. */
export function demandKeyOf(f: SearchFilters, day: string, area: string, found: boolean): DemandKey {
  return {
    day, area, found, free: f.free,
    needs: f.needs ?? [], categories: f.categories ?? [], periods: f.periods ?? [], days: f.days ?? [],
    accessibility: f.accessibility ?? [], delivery: f.delivery, audience: f.audience ?? [],
  }
}

/** One text per key: the map key of the recorder's counters (codes hold no '|' nor ';'). */
export function keyText(k: DemandKey): string {
  return [k.day, k.area, k.needs, k.categories, k.periods, k.days, k.accessibility, k.delivery, k.free, k.audience, k.found]
    .map((x) => (Array.isArray(x) ? x.join(';') : String(x))).join('|')
}
