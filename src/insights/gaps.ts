import type { Db } from '../db/client.ts'
import { publish, type Cell } from '../domain/suppression.ts'
import { VOCABULARIES } from '../domain/vocabularies.ts'
import { loadAuthorities } from '../geo/authorities.ts'
import { coveredSectors } from '../repositories/coverage.ts'
import { demandRows, type DemandRow } from '../repositories/demand.ts'
import { parseSearchParams, type SearchFilters } from '../search/params.ts'
import { ukDate } from '../domain/schedule.ts'
import { filterText } from './demand-figures.ts'

/**
 * Gaps for one local authority: the filter combinations searched there most often without a
 * result (8 or more: smaller counts are not published), each with the share of the
 * authority's postcodes within the radius of a matching session, worst first (searches left
 * without a result × the share not covered), worded for a commissioner.
 */

export const GAPS_LISTED = 5

export interface Gap { filters: string; no_result: Cell; covered_share: number; sentence: string }

const label = (v: keyof typeof VOCABULARIES, code: string) => {
  const text = (VOCABULARIES[v] as Record<string, string>)[code] ?? code
  return text.replace(/ \(.*\)$/, '').toLowerCase()
}
const either = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`)

/** "for loneliness, walking or befriending, in the evening, on Tuesdays, with step-free access, free". */
export function describe(r: Pick<DemandRow, 'needs' | 'categories' | 'periods' | 'days' | 'accessibility' | 'free' | 'audience'>): string {
  const parts: string[] = []
  if (r.categories.length) parts.push(`for ${either(r.categories.map((c) => label('categories', c)))} activities`)
  if (r.needs.length) parts.push(`for ${either(r.needs.map((c) => label('needs', c)))}`)
  if (r.audience.length) parts.push(`for ${either(r.audience.map((c) => label('audience', c)))}`)
  if (r.periods.length) parts.push(`in the ${either(r.periods.map((c) => label('period', c)))}`)
  if (r.days.length) parts.push(`on ${either(r.days.map((c) => `${(VOCABULARIES.days as Record<string, string>)[c]}s`))}`)
  if (r.accessibility.length) parts.push(`with ${r.accessibility.map((c) => label('accessibility', c)).join(' and ')}`)
  if (r.free !== null) parts.push(r.free ? 'that are free' : 'that charge')
  return parts.length ? parts.join(' ') : 'anything'
}

const shortDate = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

export async function findGaps(db: Db, area: string, from: string, to: string, radiusM: number, now: Date, timeoutMs?: number): Promise<Gap[]> {
  const d = await loadAuthorities()
  const authority = d.byCode.get(area)!
  const rows = (await demandRows(db, { from, to, area, lists: {} })).filter((r) => !r.found)
  const combos = new Map<string, { row: DemandRow; n: number }>()
  for (const r of rows) {
    const k = filterText(r)
    const held = combos.get(k)
    if (held) held.n += r.searches
    else combos.set(k, { row: r, n: r.searches })
  }
  const shown = [...combos].filter(([, c]) => !publish(c.n).suppressed)
  // the authority's sectors, with their postcode units in it
  const sectors = d.sectors.flatMap((s) => s.shares.filter((x) => x.code === area).map((x) => ({ s, w: s.postcodeCount * x.share })))
  const all = sectors.reduce((n, x) => n + x.w, 0)
  const today = ukDate(now)
  const gaps: Array<Gap & { score: number }> = []
  const worstFirst = (a: { score: number; filters: string }, b: { score: number; filters: string }) => b.score - a.score || (a.filters < b.filters ? -1 : 1)
  // most searched first: a score is at most its searches, so once GAPS_LISTED scores reach the
  // next combination's searches, no later one can enter the list and its coverage is not computed
  for (const [filters, c] of shown.sort(([fa, a], [fb, b]) => b.n - a.n || (fa < fb ? -1 : 1))) {
    if (gaps.length >= GAPS_LISTED && gaps.sort(worstFirst)[GAPS_LISTED - 1].score > c.n) break
    const f = filtersOfRow(c.row, radiusM, today)
    const hits = await coveredSectors(db, { e: sectors.map((x) => x.s.easting), n: sectors.map((x) => x.s.northing) }, radiusM, f, today, now, { area: 'local', timeoutMs })
    const covered = hits.reduce((n, i) => n + sectors[i].w, 0)
    const share = all > 0 ? Math.round((covered / all) * 10000) / 10000 : 0
    const cell = publish(c.n)
    const km = `${radiusM / 1000} km`
    const sentence = `About ${cell.value} searches ${describe(c.row).replace(/^anything$/, 'with no filter')} found nothing from ${shortDate(from)} to ` +
      `${shortDate(to)}; ${Math.round((1 - share) * 100)}% of ${authority.name}'s postcodes have no such session within ${km}.`
    gaps.push({ filters, no_result: cell, covered_share: share, sentence, score: c.n * (1 - share) })
  }
  return gaps.sort(worstFirst).slice(0, GAPS_LISTED).map(({ score: _s, ...g }) => g)
}

/** A demand row's filters as search's, with the radius (delivery apart: coverage is in person). */
function filtersOfRow(r: DemandRow, radiusM: number, today: string): SearchFilters {
  const raw: Record<string, unknown> = { radius_m: radiusM }
  const put = (name: string, xs: string[]) => { if (xs.length) raw[name] = xs.join(',') }
  put('need', r.needs); put('category', r.categories); put('period', r.periods); put('days', r.days); put('accessibility', r.accessibility)
  put('audience', r.audience)
  if (r.free !== null) raw.free = r.free
  const p = parseSearchParams(raw, today)
  if (!p.ok) throw new Error(`a stored demand row does not parse: ${JSON.stringify(p.errors)}`)
  return p.filters
}
