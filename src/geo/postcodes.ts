import { type AppError, UnprocessableError, ValidationError } from '../errors.ts'
import { readFile } from 'node:fs/promises'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import { decode, find, postcodeKey, SCALE, type PostcodeTable } from './postcode-format.ts'

export type Precision = 'postcode' | 'sector' | 'district'
export type PostcodeResult =
  | { ok: true; lat: number; lon: number; precision: Precision; normalised: string }
  | { ok: false; reason: 'malformed' | 'northern_ireland' | 'not_covered' | 'not_found'; message: string }

// The Royal Mail shape rules: letters that never appear in a position are refused, so a
// typo such as 'SW1A 1AI' is malformed rather than silently "not found".
const OUTWARD = /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])$/
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/

/**
 * 'se154aa' → 'SE15 4AA'; ' se15 4 ' → 'SE15 4'; 'se15' → 'SE15'; null when not a UK postcode shape.
 * Any case and spacing. A space the caller typed is honoured ('E1 4' is sector E1 4); without
 * one, a string that is both a district and a sector ('E14') is read as the district.
 */
export function normalisePostcode(input: string): { text: string; kind: Precision } | null {
  if (typeof input !== 'string' || input.length > 16) return null
  const s = input.trim().toUpperCase().replace(/\s+/g, ' ')
  const parts = s.split(' ')
  if (parts.length === 2 && OUTWARD.test(parts[0])) {
    if (INWARD.test(parts[1])) return { text: s, kind: 'postcode' }
    if (/^[0-9]$/.test(parts[1])) return { text: s, kind: 'sector' }
  }
  const c = s.replace(/ /g, '')
  if (c.length >= 5 && INWARD.test(c.slice(-3)) && OUTWARD.test(c.slice(0, -3))) {
    return { text: `${c.slice(0, -3)} ${c.slice(-3)}`, kind: 'postcode' }
  }
  if (OUTWARD.test(c)) return { text: c, kind: 'district' }
  if (/[0-9]$/.test(c) && OUTWARD.test(c.slice(0, -1))) return { text: `${c.slice(0, -1)} ${c.slice(-1)}`, kind: 'sector' }
  return null
}

/** Write-side format check for venue addresses: a whole postcode in any case and spacing. */
export function isValidFullPostcode(input: string): boolean {
  return normalisePostcode(input)?.kind === 'postcode'
}

const DATA = new URL('./data/', import.meta.url)
type Centroids = Map<string, [number, number]>
let areas: Promise<{ sectors: Centroids; districts: Centroids }> | undefined
let units: Promise<PostcodeTable> | undefined

async function readCentroids(file: string): Promise<Centroids> {
  const text = await readFile(new URL(file, DATA), 'utf8')
  const map: Centroids = new Map()
  // code,(outcode|area),latitude,longitude,...: plain CSV without quotes
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue
    const f = line.split(',')
    map.set(f[0], [Number(f[2]), Number(f[3])])
  }
  return map
}

function loadAreas() {
  areas ??= Promise.all([readCentroids('sectors.csv'), readCentroids('outcodes.csv')])
    .then(([sectors, districts]) => ({ sectors, districts }))
    .catch((err) => { areas = undefined; throw err })
  return areas
}

/** The 1.7M full postcodes, read once on first use (about 0.15 s; 28 MB kept). */
export function loadPostcodeTable(): Promise<PostcodeTable> {
  units ??= readFile(new URL('postcodes.bin.gz', DATA))
    .then((gz) => promisify(gunzip)(gz))
    .then((buf) => decode(buf))
    .catch((err) => { units = undefined; throw err })
  return units
}

const ATTRIBUTION = 'OS Code-Point Open, which covers Great Britain only'

/** full → sector → district fallback; a full postcode not in the data falls back to its sector, then district.
 * `normalised` is the input in standard form; `precision` is the level whose centroid was used. */
export async function resolvePostcode(input: string): Promise<PostcodeResult> {
  const n = normalisePostcode(input)
  if (!n) {
    return { ok: false, reason: 'malformed',
      message: `That is not the shape of a UK postcode. Give a full postcode (SW1A 1AA), a sector (SW1A 1) or a district (SW1A).` }
  }
  const area = /^[A-Z]+/.exec(n.text)![0]
  if (area === 'BT') {
    return { ok: false, reason: 'northern_ireland',
      message: `Northern Ireland (BT) postcodes are not covered: the directory uses ${ATTRIBUTION}. Give lat and lon instead.` }
  }
  if (area === 'GY' || area === 'JE' || area === 'IM') {
    return { ok: false, reason: 'not_covered',
      message: `Channel Islands (GY, JE) and Isle of Man (IM) postcodes are not covered: the directory uses ${ATTRIBUTION}. Give lat and lon instead.` }
  }
  const [outward, inward = ''] = n.text.split(' ')
  if (n.kind === 'postcode') {
    const t = await loadPostcodeTable()
    const i = find(t.keys, postcodeKey(outward + inward))
    if (i >= 0) return { ok: true, lat: t.lat[i] / SCALE, lon: t.lon[i] / SCALE, precision: 'postcode', normalised: n.text }
  }
  const { sectors, districts } = await loadAreas()
  if (n.kind !== 'district') {
    const s = sectors.get(`${outward} ${inward[0]}`)
    if (s) return { ok: true, lat: s[0], lon: s[1], precision: 'sector', normalised: n.text }
  }
  const d = districts.get(outward)
  if (d) return { ok: true, lat: d[0], lon: d[1], precision: 'district', normalised: n.text }
  const what = n.kind === 'postcode' ? 'postcode' : n.kind
  return { ok: false, reason: 'not_found',
    message: `That ${what} was not found in the GB postcode data (OS Code-Point Open, October 2025), nor its sector or district. Check it, or give lat and lon instead.` }
}

/**
 * A searched postcode as a place, or the error every route answers for it: 400 when it is
 * not a postcode's shape, 422 when it is one but not placed (Northern Ireland, the islands,
 * unknown), each naming the parameter.
 */
export async function placeOfPostcode(input: string, parameter = 'postcode'):
  Promise<{ ok: true; lat: number; lon: number; precision: Precision } | { ok: false; error: AppError }> {
  const found = await resolvePostcode(input)
  if (found.ok) return { ok: true, lat: found.lat, lon: found.lon, precision: found.precision }
  const item = [{ parameter, message: found.message }]
  return { ok: false, error: found.reason === 'malformed' ? new ValidationError(item) : new UnprocessableError(found.message, item) }
}
