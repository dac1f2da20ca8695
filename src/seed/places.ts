import { loadPostcodeTable } from '../geo/postcodes.ts'
import { find, keyToPostcode, postcodeKey, sectorRange, SCALE } from '../geo/postcode-format.ts'
import type { Random } from './random.ts'

export interface Place { postcode: string; lat: number; lon: number }

/** Real postcode units from the Code-Point data, to place seeded venues at. */
export async function loadPlaces() {
  const t = await loadPostcodeTable()
  const at = (i: number): Place => ({ postcode: keyToPostcode(t.keys[i]), lat: t.lat[i] / SCALE, lon: t.lon[i] / SCALE })
  return {
    /** A random unit of the sector ('SE15 4'). */
    inSector(rng: Random, sector: string): Place {
      const [from, to] = sectorRange(t.keys, sector)
      if (from >= to) throw new Error(`no postcode units in sector ${sector}`)
      return at(rng.int(from, to - 1))
    },
    /** The unit's centroid, or undefined when the postcode is not in the data. */
    lookup(postcode: string): Place | undefined {
      const i = find(t.keys, postcodeKey(postcode.replace(/\s+/g, '').toUpperCase()))
      return i >= 0 ? at(i) : undefined
    },
  }
}
export type Places = Awaited<ReturnType<typeof loadPlaces>>
