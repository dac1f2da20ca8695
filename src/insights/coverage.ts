import type { Db } from '../db/client.ts'
import { ukDate } from '../domain/schedule.ts'
import { loadAuthorities, sectorAuthorities, type AuthorityData } from '../geo/authorities.ts'
import { coveredSectors, directoryGeneration, matchesByAuthority } from '../repositories/coverage.ts'
import { canonicalSearch, type SearchFilters } from '../search/params.ts'
import { coverageGate, type Gate } from './gate.ts'

/**
 * Coverage per local authority (docs/insights.md): matching schemes and sessions, and the share
 * of the authority's postcodes whose sector centroid lies within the radius of a venue with a
 * matching current session. A sector split between authorities counts in each by its share of
 * postcode units (src/geo/data/sector_authorities.csv).
 */

export interface AuthorityCoverage {
  code: string
  name: string
  nation: string
  schemes: number
  sessions: number
  postcodes: number
  covered_postcodes: number
  covered_share: number
}

export interface Coverage {
  today: string
  radius_m: number
  filters: string
  total: Omit<AuthorityCoverage, 'code' | 'name' | 'nation'>
  authorities: AuthorityCoverage[]
  /** per sector of AuthorityData.sectors: 1 covered, 0 not (the map) */
  covered: Uint8Array
}

/** The asked filters as a query string, in a fixed order: the title of the map and the figures. */
export function coverageFilterText(f: SearchFilters): string {
  const parts: string[] = []
  const add = (name: string, v: string[] | boolean | null) => { if (v !== null) parts.push(`${name}=${Array.isArray(v) ? v.join(',') : v}`) }
  add('need', f.needs); add('category', f.categories); add('period', f.periods); add('days', f.days); add('accessibility', f.accessibility)
  add('free', f.free)
  return parts.join('&')
}

const share = (covered: number, all: number) => (all > 0 ? Math.round((covered / all) * 10000) / 10000 : 0)

/** `timeoutMs`: how long each statement may run (COVERAGE_TIMEOUT_MS); the pool's statement timeout without it. */
export async function computeCoverage(db: Db, f: SearchFilters, now: Date, timeoutMs?: number): Promise<Coverage> {
  const d = await loadAuthorities()
  const today = ukDate(now)
  const [hits, matches] = await Promise.all([
    coveredSectors(db, { e: d.sectors.map((s) => s.easting), n: d.sectors.map((s) => s.northing) }, f.radiusM, f, today, now, { timeoutMs }),
    matchesByAuthority(db, sectorAuthorities(d), f, today, now, timeoutMs),
  ])
  const covered = new Uint8Array(d.sectors.length)
  for (const i of hits) covered[i] = 1
  return { today, radius_m: f.radiusM, filters: coverageFilterText(f), covered, ...figures(d, covered, matches) }
}

/** The per-authority figures from the covered sectors and the matches. */
function figures(d: AuthorityData, covered: Uint8Array, matches: Array<{ code: string | null; schemes: number; sessions: number }>) {
  const postcodes = new Map<string, number>()
  const coveredPostcodes = new Map<string, number>()
  d.sectors.forEach((s, i) => {
    for (const x of s.shares) {
      const w = s.postcodeCount * x.share
      postcodes.set(x.code, (postcodes.get(x.code) ?? 0) + w)
      if (covered[i]) coveredPostcodes.set(x.code, (coveredPostcodes.get(x.code) ?? 0) + w)
    }
  })
  const byCode = new Map(matches.filter((m) => m.code !== null).map((m) => [m.code!, m]))
  const whole = matches.find((m) => m.code === null)
  const authorities = d.authorities.map((a) => {
    const all = Math.round(postcodes.get(a.code) ?? 0)
    const cov = Math.min(all, Math.round(coveredPostcodes.get(a.code) ?? 0))
    return { code: a.code, name: a.name, nation: a.country, schemes: byCode.get(a.code)?.schemes ?? 0, sessions: byCode.get(a.code)?.sessions ?? 0,
      postcodes: all, covered_postcodes: cov, covered_share: share(cov, all) }
  })
  const all = authorities.reduce((n, a) => n + a.postcodes, 0)
  const cov = authorities.reduce((n, a) => n + a.covered_postcodes, 0)
  return { authorities, total: { schemes: whole?.schemes ?? 0, sessions: whole?.sessions ?? 0, postcodes: all, covered_postcodes: cov, covered_share: share(cov, all) } }
}

/**
 * Coverage answers kept per filter set and UK day for `ttlMs`, and dropped as soon as the
 * directory's generation moves on (any write to schemes, venues or sessions: migrations/0018).
 * Requests for the same figures while they are computed share the one computation; different
 * ones take their turn at the gate (src/insights/gate.ts).
 */
export class CoverageCache {
  private entries = new Map<string, { generation: string; at: number; value: Promise<Coverage> }>()
  constructor(private ttlMs: number, private timeoutMs?: number, private clock: () => number = Date.now, private maxEntries = 200,
    private gate: Gate = coverageGate()) {}

  async get(db: Db, f: SearchFilters, now: Date): Promise<Coverage> {
    const key = `${ukDate(now)}|${canonicalSearch(f, null)}|${f.radiusM}`
    const generation = await directoryGeneration(db)
    const held = this.entries.get(key)
    if (held && held.generation === generation && this.clock() - held.at < this.ttlMs) return held.value
    const value = this.gate.run(() => computeCoverage(db, f, now, this.timeoutMs))
    if (this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(key, { generation, at: this.clock(), value })
      value.catch(() => { if (this.entries.get(key)?.value === value) this.entries.delete(key) })
    }
    return value
  }
}
