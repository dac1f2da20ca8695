import { VOCABULARIES } from '../../domain/vocabularies.ts'
import { orukId } from './ids.ts'
import { term } from './taxonomies.ts'
import type { MappingContext, NativeVenue } from './types.ts'

type Json = Record<string, unknown>

/** A venue's one-to-one location fields (lists). */
export function locationSummary(v: NativeVenue): Json {
  return { id: v.id, location_type: 'physical', name: v.name, latitude: v.location.lat, longitude: v.location.lon }
}

/**
 * A venue as a fully nested ORUK location: its address (ORUK 3.0 has no address_2, so a
 * second line joins the first; state_province is the UK nation of the postcode) and one
 * accessibility row per code, each linked to its Signpost taxonomy term.
 */
export function fullLocation(v: NativeVenue, ctx: MappingContext): Json {
  const a = v.address
  const labels = VOCABULARIES.accessibility as Record<string, string>
  return {
    ...locationSummary(v),
    addresses: [{
      id: orukId('address', v.id), location_id: v.id,
      address_1: a.line2 ? `${a.line1}, ${a.line2}` : a.line1,
      city: a.town, state_province: ctx.nationOf(a.postcode) ?? '', postal_code: a.postcode, country: 'GB', address_type: 'physical',
    }],
    accessibility: v.accessibility.map((code) => {
      const id = orukId('accessibility', v.id, code)
      const t = term('accessibility', code)
      return {
        id, location_id: v.id, description: labels[code] ?? code,
        attributes: [{ id: orukId('attribute', v.id, 'accessibility', code), link_id: id, taxonomy_term_id: t.id, link_type: 'accessibility',
          taxonomy_term: t }],
      }
    }),
  }
}
