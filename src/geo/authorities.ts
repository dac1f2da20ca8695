import { readFile } from 'node:fs/promises'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import { decodeAuthorities } from './authority-format.ts'
import { find, postcodeKey } from './postcode-format.ts'
import { loadPostcodeTable, normalisePostcode } from './postcodes.ts'

/**
 * GB local authority districts (OS Code-Point Open, October 2025; src/geo/data/SOURCE.md):
 * each authority's name and centroid, each postcode sector's authorities with their shares,
 * and each full postcode's authority. Read once, kept in memory (about 4 MB).
 */

export interface Authority {
  code: string
  name: string
  country: 'England' | 'Wales' | 'Scotland'
  postcodeCount: number
  lat: number
  lon: number
  easting: number
  northing: number
}

/** A postcode sector: its centroid (both grids), its postcode units, and its authorities, largest share first. */
export interface Sector {
  sector: string
  lat: number
  lon: number
  easting: number
  northing: number
  postcodeCount: number
  shares: Array<{ code: string; share: number }>
}

export interface AuthorityData {
  authorities: Authority[]
  byCode: Map<string, Authority>
  sectors: Sector[]
  bySector: Map<string, Sector>
  /** entry i: index into `authorities` of postcodes.bin.gz's i-th postcode */
  postcodeAuthority: Uint16Array
  postcodeKeys: Float64Array
  /** sectors by 0.1° cell, for the nearest sector to a point */
  grid: Map<number, Sector[]>
  /** each postcode district's authority with the most of its postcode units */
  byDistrict: Map<string, string>
}

const DATA = new URL('./data/', import.meta.url)
const CELL = 0.1
const cellKey = (lat: number, lon: number) => Math.floor(lat / CELL) * 10000 + Math.floor(lon / CELL)
/** A point farther than this from every sector centroid (Northern Ireland, the sea) is in no authority. */
export const NEAREST_SECTOR_MAX_M = 15000

let loaded: Promise<AuthorityData> | undefined
let ready: AuthorityData | undefined

const rows = (text: string) => text.split('\n').slice(1).filter(Boolean).map((l) => l.split(','))

async function read(): Promise<AuthorityData> {
  const [la, sa, sc, pa, table] = await Promise.all([
    readFile(new URL('local_authorities.csv', DATA), 'utf8'),
    readFile(new URL('sector_authorities.csv', DATA), 'utf8'),
    readFile(new URL('sectors.csv', DATA), 'utf8'),
    readFile(new URL('postcode_authorities.bin.gz', DATA)).then((gz) => promisify(gunzip)(gz)),
    loadPostcodeTable(),
  ])
  // the names have no commas (SOURCE.md): plain CSV
  const authorities: Authority[] = rows(la).map((f) => ({
    code: f[0], name: f[1], country: f[2] as Authority['country'], postcodeCount: Number(f[3]),
    lat: Number(f[4]), lon: Number(f[5]), easting: Number(f[6]), northing: Number(f[7]),
  }))
  const shares = new Map<string, Sector['shares']>()
  for (const [sector, code, share] of rows(sa)) {
    let list = shares.get(sector)
    if (!list) shares.set(sector, list = [])
    list.push({ code, share: Number(share) })
  }
  const sectors: Sector[] = rows(sc).map((f) => ({
    sector: f[0], lat: Number(f[2]), lon: Number(f[3]), easting: Number(f[4]), northing: Number(f[5]), postcodeCount: Number(f[6]),
    shares: shares.get(f[0]) ?? [],
  }))
  const grid = new Map<number, Sector[]>()
  for (const s of sectors) {
    const k = cellKey(s.lat, s.lon)
    const list = grid.get(k)
    if (list) list.push(s)
    else grid.set(k, [s])
  }
  const postcodeAuthority = decodeAuthorities(pa)
  if (postcodeAuthority.length !== table.keys.length) throw new Error('postcode_authorities.bin.gz does not match postcodes.bin.gz: rebuild both')
  return {
    authorities, byCode: new Map(authorities.map((a) => [a.code, a])), sectors, bySector: new Map(sectors.map((s) => [s.sector, s])),
    postcodeAuthority, postcodeKeys: table.keys, grid, byDistrict: districtAuthorities(sectors),
  }
}

/** The authority data, read on first use. */
export function loadAuthorities(): Promise<AuthorityData> {
  loaded ??= read().then((d) => (ready = d)).catch((err) => { loaded = undefined; throw err })
  return loaded
}

/** The data when already read, else undefined (and reading starts): for callers that must not wait. */
export function authoritiesIfLoaded(): AuthorityData | undefined {
  if (!ready) loadAuthorities().catch(() => {})
  return ready
}

/**
 * The local authority of a searched postcode, in memory: a full postcode's own; a sector's or a
 * district's largest share (a full postcode not in the data: its sector's). Undefined when unplaced.
 */
export function authorityOfPostcode(d: AuthorityData, input: string): string | undefined {
  const n = normalisePostcode(input)
  if (!n) return undefined
  const [outward, inward = ''] = n.text.split(' ')
  if (n.kind === 'postcode') {
    const i = find(d.postcodeKeys, postcodeKey(outward + inward))
    if (i >= 0) return d.authorities[d.postcodeAuthority[i]].code
  }
  if (n.kind !== 'district') {
    const s = d.bySector.get(`${outward} ${inward[0]}`)
    if (s) return s.shares[0]?.code
  }
  return d.byDistrict.get(outward)
}

/** Each district's largest authority: the majority of its sectors' postcode units, ties by code. */
function districtAuthorities(sectors: Sector[]): Map<string, string> {
  const weights = new Map<string, Map<string, number>>()
  for (const s of sectors) {
    const district = s.sector.split(' ')[0]
    let w = weights.get(district)
    if (!w) weights.set(district, w = new Map())
    for (const x of s.shares) w.set(x.code, (w.get(x.code) ?? 0) + x.share * s.postcodeCount)
  }
  const out = new Map<string, string>()
  for (const [district, w] of weights) {
    let best = ''
    let most = -1
    for (const [code, n] of w) if (n > most || (n === most && code < best)) { best = code; most = n }
    out.set(district, best)
  }
  return out
}

/** Metres between two WGS84 points on the sphere (nearest-sector search only). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180
  const a = Math.sin((lat2 - lat1) * r / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** The nearest sector centroid to a point, within NEAREST_SECTOR_MAX_M; undefined when none is. */
export function nearestSector(d: AuthorityData, lat: number, lon: number): Sector | undefined {
  let best: Sector | undefined
  let bestM = NEAREST_SECTOR_MAX_M
  // 0.1° of latitude is 11 km, of longitude about 6.5 km in GB: two cells of latitude and three of longitude reach past 15 km
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -3; dx <= 3; dx++) {
      for (const s of d.grid.get(cellKey(lat + dy * CELL, lon + dx * CELL)) ?? []) {
        const m = haversineM(lat, lon, s.lat, s.lon)
        if (m <= bestM) { best = s; bestM = m }
      }
    }
  }
  return best
}

/** The authority of searched coordinates: that of the nearest sector centroid (its largest share). */
export function authorityOfPoint(d: AuthorityData, lat: number, lon: number): string | undefined {
  return nearestSector(d, lat, lon)?.shares[0]?.code
}

/** Each sector and the authority with the largest share of it, as two arrays (for SQL). */
export function sectorAuthorities(d: AuthorityData): { sector: string[]; authority: string[] } {
  return { sector: d.sectors.map((s) => s.sector), authority: d.sectors.map((s) => s.shares[0]?.code ?? '') }
}
