import { publish, publishParts, type Cell } from '../domain/suppression.ts'
import type { AuthorityData } from '../geo/authorities.ts'
import type { DemandRow } from '../repositories/demand.ts'
import { DEMAND_FILTERS, type DemandList } from './demand-key.ts'

/**
 * The demand figures from the summed rows (repositories/demand.ts): per area, searches and
 * searches with no result, overall and per filter code, and the filter combinations most often
 * left without a result; every count published by src/domain/suppression.ts.
 */

export type AreaType = 'local_authority' | 'nation'

export interface FilterFigure { parameter: string; code: string; searches: Cell; no_result: Cell }
export interface UnmetFigure { filters: string; no_result: Cell }
export interface AreaFigure {
  code: string | null
  name: string
  searches: Cell
  no_result: Cell
  by_filter: FilterFigure[]
  unmet: UnmetFigure[]
}
export interface DemandFigures {
  from: string
  to: string
  area_type: AreaType
  total: { searches: Cell; no_result: Cell }
  areas: AreaFigure[]
}

/** Unmet combinations listed per area, most searched first; only those shown (8 or more). */
export const UNMET_LISTED = 10
const OUTSIDE = 'Not in a GB local authority'

interface Tally { searches: number; noResult: number }
const tally = (): Tally => ({ searches: 0, noResult: 0 })

/** A search's filters as a query string, in a fixed order: `need=loneliness&period=evening`. */
export function filterText(r: DemandRow): string {
  const parts: string[] = []
  for (const list of Object.keys(DEMAND_FILTERS) as DemandList[]) {
    if (list === 'delivery') continue // defaulted: every search has one
    if (r[list].length) parts.push(`${DEMAND_FILTERS[list].parameter}=${r[list].join(',')}`)
  }
  if (r.free !== null) parts.push(`free=${r.free}`)
  return parts.join('&') || '(no filter)'
}

export function areaOf(d: AuthorityData, type: AreaType, code: string): { code: string | null; name: string } {
  const a = d.byCode.get(code)
  if (!a) return { code: null, name: OUTSIDE }
  return type === 'nation' ? { code: a.country, name: a.country } : { code: a.code, name: a.name }
}

/** A [no result, with results] pair as published: the total shown, and no_result hidden with a small complement (suppression.ts). */
function pair(t: Tally): { searches: Cell; no_result: Cell } {
  const p = publishParts([t.noResult, t.searches - t.noResult], t.searches)
  return { searches: p.total, no_result: p.parts[0] }
}

const hide = (c: Cell, also: Cell): Cell => (also.suppressed && !c.suppressed ? { value: null, suppressed: true } : c)

export function demandFigures(d: AuthorityData, rows: DemandRow[], from: string, to: string, type: AreaType): DemandFigures {
  const areas = new Map<string, { name: string; code: string | null; all: Tally; filters: Map<string, Tally>; unmet: Map<string, number> }>()
  for (const r of rows) {
    const a = areaOf(d, type, r.area)
    const id = a.code ?? ''
    let x = areas.get(id)
    if (!x) areas.set(id, x = { ...a, all: tally(), filters: new Map(), unmet: new Map() })
    const add = (t: Tally) => { t.searches += r.searches; if (!r.found) t.noResult += r.searches }
    add(x.all)
    for (const list of Object.keys(DEMAND_FILTERS) as DemandList[]) {
      for (const code of r[list]) {
        const k = `${DEMAND_FILTERS[list].parameter}=${code}`
        let t = x.filters.get(k)
        if (!t) x.filters.set(k, t = tally())
        add(t)
      }
    }
    if (r.free !== null) {
      const k = `free=${r.free}`
      let t = x.filters.get(k)
      if (!t) x.filters.set(k, t = tally())
      add(t)
    }
    if (!r.found) x.unmet.set(filterText(r), (x.unmet.get(filterText(r)) ?? 0) + r.searches)
  }
  const list = [...areas.values()].sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code < b.code ? -1 : 1))
  // secondary suppression down the column: the total must not give away one hidden area
  const columnSearches = publishParts(list.map((a) => a.all.searches))
  const columnNoResult = publishParts(list.map((a) => a.all.noResult))
  const figures: AreaFigure[] = list.map((a, i) => {
    const own = pair(a.all)
    return {
      code: a.code, name: a.name,
      searches: hide(own.searches, columnSearches.parts[i]),
      no_result: hide(own.no_result, columnNoResult.parts[i]),
      by_filter: [...a.filters].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, t]) => {
        const [parameter, code] = k.split('=')
        return { parameter, code, ...pair(t) }
      }),
      unmet: [...a.unmet].filter(([, n]) => !publish(n).suppressed).sort(([xa, na], [xb, nb]) => nb - na || (xa < xb ? -1 : 1))
        .slice(0, UNMET_LISTED).map(([filters, n]) => ({ filters, no_result: publish(n) })),
    }
  })
  const all = list.reduce((t, a) => ({ searches: t.searches + a.all.searches, noResult: t.noResult + a.all.noResult }), tally())
  const total = pair(all)
  return {
    from, to, area_type: type,
    total: { searches: hide(total.searches, columnSearches.total), no_result: hide(total.no_result, columnNoResult.total) },
    areas: figures,
  }
}

/** The figures as CSV rows: one per area (filter ''), per area and filter code, and per unmet combination. */
export function demandCsvRows(f: DemandFigures): string[][] {
  const cell = (c: Cell) => (c.value === null ? '' : String(c.value))
  const rows = [['from', 'to', 'area_type', 'area_code', 'area_name', 'kind', 'filter', 'searches', 'no_result', 'suppressed']]
  const line = (a: AreaFigure, kind: string, filter: string, s: Cell | null, n: Cell) =>
    rows.push([f.from, f.to, f.area_type, a.code ?? '', a.name, kind, filter, s ? cell(s) : '', cell(n), String((s?.suppressed ?? false) || n.suppressed)])
  for (const a of f.areas) {
    line(a, 'all', '', a.searches, a.no_result)
    for (const x of a.by_filter) line(a, 'filter', `${x.parameter}=${x.code}`, x.searches, x.no_result)
    for (const u of a.unmet) line(a, 'unmet', u.filters, null, u.no_result)
  }
  return rows
}
