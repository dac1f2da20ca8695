import { readFileSync } from 'node:fs'
import { ARCHETYPES, type Archetype } from './archetypes.ts'
import { byId, composeBreaks, composeCost, composeSessions, polygonArea, radiusArea } from './compose.ts'
import type { VenueKind } from './demo-places.ts'
import { POST_TOWNS } from './post-towns.ts'
import type { Places } from './places.ts'
import { Random } from './random.ts'
import type { OrganisationRow, SchemeRow, ServiceArea, SessionRow, VenueRow } from './rows.ts'

/**
 * A synthetic national dataset for scale tests (issue 6), pure data: scheme i of seed S is
 * always the same, whatever the batch size. Organisations sit in postcode sectors drawn
 * in proportion to their postcode counts, so towns are dense and the Highlands sparse;
 * each runs SCHEMES_PER_ORG schemes with 1–3 venues (real postcode units of its sector)
 * and 1–4 sessions each. About 7% are remote only (national, radius or polygon service
 * areas), 5% hybrid; 3% paused, 2% ended, 2% deleted; 15% not verified for 180+ days.
 */
export const SCHEMES_PER_ORG = 4

interface Sector { code: string; outcode: string; lat: number; lon: number }

export interface Generator {
  /** Rows for schemes [from, from + count); from must be a multiple of SCHEMES_PER_ORG. */
  batch(from: number, count: number): Batch
}
export interface Batch { organisations: OrganisationRow[]; venues: VenueRow[]; schemes: SchemeRow[]; sessions: SessionRow[] }

const SECTORS_CSV = new URL('../geo/data/sectors.csv', import.meta.url)

/** Sectors with cumulative postcode counts, for sampling where people live. */
function loadSectors() {
  const sectors: Sector[] = []
  const cumulative: number[] = []
  let total = 0
  for (const line of readFileSync(SECTORS_CSV, 'utf8').split('\n').slice(1)) {
    if (!line) continue
    const [code, outcode, lat, lon, , , count] = line.split(',')
    total += Number(count)
    sectors.push({ code, outcode, lat: Number(lat), lon: Number(lon) })
    cumulative.push(total)
  }
  return (rng: Random): Sector => {
    const r = rng.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid] > r) hi = mid
      else lo = mid + 1
    }
    return sectors[lo]
  }
}

const VENUE_NAMES: Record<VenueKind, string[]> = {
  hall: ['Community Centre', 'Church Hall', 'Methodist Hall', 'Village Hall', 'Scout Hut', 'Friends Meeting House', 'Community Hub'],
  library: ['Library', 'Community Library'], cafe: ['Park Café', 'Community Café', 'Garden Centre Café'],
  outdoor: ['Park (meet at the main gate)', 'Country Park car park', 'Recreation Ground'], garden: ['Community Garden', 'Allotments'],
  workshop: ['Shed', 'Workshop'], leisure: ['Leisure Centre', 'Sports Centre'],
}
const STREETS = ['High Street', 'Church Road', 'Station Road', 'Victoria Road', 'Park Road', 'Green Lane', 'Manor Road', 'Church Street',
  'Park Avenue', 'Queens Road', 'New Road', 'Grange Road', 'Kings Road', 'Mill Lane', 'School Lane', 'Market Place', 'North Street']
const ACCESS = ['step_free', 'wheelchair_accessible', 'accessible_toilet', 'changing_places', 'hearing_loop', 'large_print', 'easy_read',
  'quiet_space', 'seating', 'blue_badge_parking', 'public_transport_nearby', 'assistance_dogs', 'dementia_friendly']
const SCHEME_ACCESS = ['bsl', 'carer_free', 'large_print', 'easy_read', 'dementia_friendly', 'quiet_space']
const LANGUAGES = ['cy', 'pl', 'ur', 'pa', 'bn', 'ar', 'so', 'ro', 'gu', 'es', 'pt', 'gd', 'bsl']
const FOODBANK: Archetype = {
  key: 'foodbank', names: ['{area} Foodbank', '{area} Community Pantry'],
  description: 'Emergency food parcels for people in crisis, with a warm welcome and signposting to other help.',
  categories: ['food_bank'], needs: ['food_insecurity', 'money_worries'], audience: [], venues: ['hall'],
  slots: [{ days: ['mon', 'wed', 'fri'], starts: '10:00', ends: '12:30' }, { days: ['thu'], starts: '17:30', ends: '19:00' },
    { days: ['sat'], starts: '10:00', ends: '12:00' }],
  costs: [{ free: true }], self_referral: false,
}
const KINDS: Archetype[] = [...ARCHETYPES, FOODBANK, FOODBANK]

/** 122 bits from the scheme's own generator, as a version 4 UUID. */
function uuid(rng: Random): string {
  const h = (n: number) => Math.floor(rng.next() * 16 ** n).toString(16).padStart(n, '0')
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[Math.floor(rng.next() * 4)]}${h(3)}-${h(12)}`
}

export function generator(places: Places, seed: number, today: string): Generator {
  const sector = loadSectors()
  const at = (...parts: number[]) => new Random(parts.reduce((h, p) => Math.imul(h ^ p, 0x9e3779b1) >>> 0, seed >>> 0))

  function organisation(o: number) {
    const rng = at(1, o)
    const home = sector(rng)
    const town = POST_TOWNS[home.outcode.replace(/\d.*$/, '')] ?? home.outcode
    const kind = rng.weighted([['Community Association', 3], ['Together', 2], ['Wellbeing Network', 2], ['Friends', 1], ['Voluntary Action', 2],
      ['Trust', 1]] as const)
    const row: OrganisationRow = { id: uuid(rng), name: `${town} ${home.outcode} ${kind}`, source_id: `gen:${seed}:org:${o}`,
      description: `A local charity in ${town} running community groups and support.` }
    return { row, home, town }
  }

  function scheme(i: number, org: ReturnType<typeof organisation>, out: Batch) {
    const rng = at(2, i)
    const a = rng.pick(KINDS)
    const id = uuid(rng)
    const mode = rng.weighted([['in_person', 88], ['hybrid', 5], ['remote', 7]] as const)
    const fate = rng.weighted([['active', 93], ['paused', 3], ['ended', 2], ['deleted', 2]] as const)
    const venueIds: string[] = []
    const venues = mode === 'remote' ? 0 : rng.weighted([[1, 70], [2, 22], [3, 8]] as const)
    {
      for (let v = venues; v > 0; v--) {
        const place = places.inSector(rng, org.home.code)
        const kind = rng.pick(a.venues)
        const venueId = uuid(rng)
        venueIds.push(venueId)
        out.venues.push({ id: venueId, organisation_id: org.row.id, name: `${org.town} ${rng.pick(VENUE_NAMES[kind])}`,
          line1: `${rng.int(1, 250)} ${rng.pick(STREETS)}`, town: org.town, postcode: place.postcode, lat: place.lat, lon: place.lon,
          accessibility: rng.some(ACCESS, rng.weighted([[0, 15], [1, 20], [2, 25], [3, 20], [5, 15], [8, 5]] as const)),
          source_id: `gen:${seed}:venue:${i}:${v}` })
      }
    }
    let area: ServiceArea | undefined
    let delivery = ['in_person']
    if (mode !== 'in_person') {
      const remote = mode === 'hybrid' ? ['online'] : rng.weighted([[['telephone'], 3], [['online'], 3], [['home_visit'], 2],
        [['online', 'telephone'], 2]] as const)
      delivery = mode === 'hybrid' ? ['in_person', ...remote] : [...remote]
      const kind = rng.weighted([['national', 25], ['radius', 50], ['polygon', 25]] as const)
      area = kind === 'national' ? { type: 'national' }
        : kind === 'radius' ? radiusArea(org.home.lat, org.home.lon, rng.int(3, 30) * 1000)
        : polygonArea(org.home.lat, org.home.lon, rng.int(4, 20))
    }
    const languages = a.languages ?? (rng.chance(0.12) ? ['en', rng.pick(LANGUAGES)] : ['en'])
    const access = new Set(a.accessibility ?? [])
    if (rng.chance(0.2)) access.add(rng.pick(SCHEME_ACCESS))
    if (languages.includes('bsl')) access.add('bsl')
    out.schemes.push({
      id, organisation_id: org.row.id, name: rng.pick(a.names).replace('{area}', org.town), description: a.description,
      categories: a.categories, needs: a.needs, audience: a.audience, delivery, ...composeCost(rng, a),
      min_age: a.min_age, max_age: a.max_age, self_referral: a.self_referral, accepting_referrals: rng.chance(0.92), group_size: a.group_size,
      languages,
      ...contactOf(rng, i),
      accessibility: [...access], service_area: area, status: fate === 'paused' ? 'paused' : fate === 'ended' ? 'ended' : 'active',
      source_id: `gen:${seed}:scheme:${i}`, verified_days_ago: rng.chance(0.15) ? rng.int(181, 700) : rng.int(0, 180), deleted: fate === 'deleted',
      breaks: composeBreaks(id, today),
    })
    // a remote scheme with no sessions: home visits by arrangement, or a line open round the clock
    if (mode === 'remote' && rng.chance(0.3)) {
      const row = out.schemes[out.schemes.length - 1]
      if (delivery.includes('home_visit')) row.by_arrangement = true
      else row.always_open = true
      return
    }
    const sessions = composeSessions(rng, a, id, {
      venueIds, remote: mode === 'hybrid', today, ended: fate === 'ended',
      // 1–4 sessions in all, a hybrid's remote one included
      // every venue gets a session
      count: mode === 'remote' ? undefined : Math.max(venues, Math.min(mode === 'hybrid' ? 3 : 4, rng.weighted([[1, 45], [2, 30], [3, 15], [4, 10]] as const))),
    })
    // the loneliest hours (chosen by id: the seed's draws are unchanged): a quarter of the remote lines run
    // from 22:00 to 02:00, and one late-evening session in eight at a venue runs on past midnight
    for (const s of sessions) {
      if (s.venue_id === null && mode === 'remote' && byId(id, 4, 'night')) Object.assign(s, { starts: '22:00', ends: '02:00' })
      else if (s.venue_id !== null && s.starts >= '19:00' && byId(id, 2, 'late')) s.ends = '00:30'
    }
    out.sessions.push(...sessions)
  }

  return {
    batch(from, count) {
      if (from % SCHEMES_PER_ORG !== 0) throw new Error(`a batch must start at a multiple of ${SCHEMES_PER_ORG}`)
      const out: Batch = { organisations: [], venues: [], schemes: [], sessions: [] }
      let org: ReturnType<typeof organisation> | undefined
      for (let i = from; i < from + count; i++) {
        if (i % SCHEMES_PER_ORG === 0) {
          org = organisation(i / SCHEMES_PER_ORG)
          out.organisations.push(org.row)
        }
        scheme(i, org!, out)
      }
      return out
    },
  }
}


/**
 * A phone (60%) and an e-mail (40%), drawn as before; a scheme that drew neither gets the
 * e-mail, since a listing needs a way to get in touch (issue 12). No extra draw: the same
 * seed makes the same dataset.
 */
function contactOf(rng: Random, i: number): { contact_phone?: string; contact_email?: string } {
  const phone = rng.chance(0.6) ? `01632 960${String(rng.int(0, 999)).padStart(3, '0')}` : undefined
  const email = rng.chance(0.4) ? `groups+${i}@example.org` : undefined
  return { contact_phone: phone, contact_email: email ?? (phone ? undefined : `groups+${i}@example.org`) }
}
