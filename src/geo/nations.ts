import { readFile } from 'node:fs/promises'
import { regionOfNation, type HolidayRegion } from '../domain/bank-holidays.ts'

// The postcode districts file that geocoding reads also names each district's nation: the one
// home of "which nation is this postcode in", for ORUK's state_province and for the bank
// holidays a venue keeps (venues.holiday_region).
const OUTCODES = new URL('./data/outcodes.csv', import.meta.url)
let loaded: Promise<Map<string, string>> | undefined

async function read(): Promise<Map<string, string>> {
  const text = await readFile(OUTCODES, 'utf8')
  const lines = text.split(/\r?\n/)
  const col = lines[0].split(',').indexOf('country')
  const map = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const f = line.split(',')
    if (f.length > col && f[col]) map.set(f[0], f[col].trim())
  }
  return map
}

export type NationOf = (postcode: string) => string | undefined

/** postcode → 'England' | 'Scotland' | 'Wales' | 'Northern Ireland', or undefined when unknown. */
export async function loadNations(): Promise<NationOf> {
  loaded ??= read().catch((err) => { loaded = undefined; throw err })
  const map = await loaded
  return (postcode: string) => {
    const outward = postcode.trim().toUpperCase().replace(/\s+/g, ' ').split(' ')[0]
    const compact = postcode.replace(/\s+/g, '').toUpperCase()
    const key = postcode.trim().includes(' ') ? outward : compact.slice(0, -3)
    if (/^BT/.test(key)) return 'Northern Ireland'
    return map.get(key)
  }
}

/**
 * postcode → the bank-holiday calendar of its nation (src/domain/bank-holidays.ts); a postcode
 * whose district is unknown keeps England and Wales's. Every venue writer sets
 * venues.holiday_region through this.
 */
export async function loadHolidayRegions(): Promise<(postcode: string) => HolidayRegion> {
  const nationOf = await loadNations()
  return (postcode: string) => regionOfNation(nationOf(postcode))
}
