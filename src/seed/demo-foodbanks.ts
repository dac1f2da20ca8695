import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { Random, nameId } from './random.ts'
import type { Places } from './places.ts'
import type { Slot } from './archetypes.ts'
import type { OrganisationRow, SchemeRow, SessionRow, VenueRow } from './rows.ts'
import { christmasDates } from './compose.ts'

/**
 * Real food banks from Give Food (src/seed/data/foodbanks.csv, CC BY 4.0). Give Food does
 * not publish opening times or access details, so those are invented and the description
 * says so. Closed ones are skipped. Northern Ireland ones are loaded at Give Food's
 * coordinates: Code-Point Open has no BT postcodes, so a search finds them by lat/lon only.
 */
interface FoodBank { name: string; slug: string; url: string; address: string; postcode: string; district: string; country: string; closed: string; latitude: string; longitude: string; network: string }

const CSV = new URL('./data/foodbanks.csv', import.meta.url)
const ACCESS = ['step_free', 'wheelchair_accessible', 'accessible_toilet', 'seating', 'public_transport_nearby', 'blue_badge_parking', 'quiet_space']
const OWN_NAME = /food ?bank|pantry|kitchen|storehouse|foodshed|readifood|food4u|project|hub|centre|foundation|helpers|care|connection/i

export function foodBanks(places: Places, today: string) {
  const rows = parse(readFileSync(CSV), { columns: true, skip_empty_lines: true }) as FoodBank[]
  const out = { organisations: [] as OrganisationRow[], venues: [] as VenueRow[], schemes: [] as SchemeRow[], sessions: [] as SessionRow[] }
  for (const f of rows) {
    if (f.closed === 'True') continue
    const rng = new Random('foodbank:' + f.slug)
    const key = `foodbank:${f.slug}`
    const name = OWN_NAME.test(f.name) ? f.name : `${f.name} Foodbank`
    const orgId = nameId(`demo:org:${key}`)
    const trussell = f.network === 'Trussell Trust'
    out.organisations.push({ id: orgId, name, website: f.url || undefined, source_id: `demo:org:${key}`,
      description: `${name} is a ${trussell ? 'Trussell Trust' : f.network === 'IFAN' ? 'IFAN member' : 'independent'} food bank in ${f.district}.` })

    const parts = f.address.split(', ').filter((p) => p !== f.postcode)
    const named = parts.length > 1 && !/^\d/.test(parts[0])
    const rest = named ? parts.slice(1) : parts
    const place = f.country === 'Northern Ireland' ? undefined : places.lookup(f.postcode)
    const venueId = nameId(`demo:venue:${key}`)
    out.venues.push({
      id: venueId, organisation_id: orgId, name: named ? parts[0] : name,
      line1: rest[0] ?? parts[0], line2: rest.length > 2 ? rest.slice(1, -1).join(', ') : undefined,
      town: rest.length > 1 ? rest[rest.length - 1] : f.district, postcode: place?.postcode ?? f.postcode,
      // Code-Point's unit centroid where there is one (Give Food's own geocode is off by km for a few)
      lat: place?.lat ?? Number(f.latitude), lon: place?.lon ?? Number(f.longitude),
      accessibility: rng.some(ACCESS, rng.int(0, 4)), source_id: `demo:venue:${key}`,
    })

    const schemeId = nameId(`demo:scheme:${key}`)
    const advice = rng.chance(0.3)
    const selfReferral = !trussell && rng.chance(0.5)
    out.schemes.push({
      id: schemeId, organisation_id: orgId, name,
      description: `Emergency food parcels for people in crisis, with a warm welcome and signposting to other help${advice ? ', and a money adviser at some sessions' : ''}. ` +
        (selfReferral ? 'Just turn up: no referral is needed. ' : 'Bring a food bank voucher from a referral partner such as a GP surgery, Citizens ' +
          'Advice or a link worker. ') +
        'Demo data: Give Food does not publish opening times, so these times are illustrative; check with the food bank before visiting.',
      categories: advice ? ['food_bank', 'money_debt_advice'] : ['food_bank'],
      needs: advice ? ['food_insecurity', 'money_worries', 'debt'] : ['food_insecurity', 'money_worries'],
      audience: [], delivery: ['in_person'], cost_free: true, self_referral: selfReferral, accepting_referrals: true,
      languages: f.country === 'Wales' && rng.chance(0.5) ? ['en', 'cy'] : ['en'], contact_website: f.url || undefined,
      accessibility: rng.chance(0.2) ? ['large_print'] : [], status: 'active', source_id: `demo:scheme:${key}`,
      verified_days_ago: rng.chance(0.12) ? rng.int(190, 480) : rng.int(0, 150),
    })

    const slots: Slot[] = trussell
      ? [{ days: ['mon', 'wed', 'fri'], starts: '10:00', ends: '12:30' }]
      : [{ days: rng.some(['tue', 'thu', 'fri'] as const, rng.int(1, 2)), starts: rng.pick(['09:30', '10:00', '11:00']), ends: '13:00' }]
    if (rng.chance(0.35)) slots.push({ days: [rng.pick(['tue', 'thu'] as const)], starts: '17:30', ends: '19:00' })
    if (rng.chance(0.3)) slots.push({ days: ['sat'], starts: '10:00', ends: '12:00' })
    for (const [position, slot] of slots.entries()) {
      const except = christmasDates(today, slot.days)
      out.sessions.push({ scheme_id: schemeId, position, venue_id: venueId, frequency: 'weekly', days: slot.days, starts: slot.starts, ends: slot.ends,
        except_dates: except, notes: except.length ? 'Closed over Christmas and New Year; emergency parcels by phone.' : undefined })
    }
  }
  return out
}
