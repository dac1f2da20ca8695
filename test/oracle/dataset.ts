/**
 * A random directory around one point for the search oracle (fast-check, seeded): venues
 * at known distances and bearings, schemes of every kind (all session frequencies,
 * accessibility, costs, remote schemes with each kind of service area, paused, ended and
 * deleted ones), and random searches over it.
 */
import fc from 'fast-check'
import { destination, type LatLon } from './geodesic.ts'
import { plusDays } from './schedule.ts'
import type { OQuery } from './search.ts'

export const ORIGIN: LatLon = { lat: 51.4663, lon: -0.0708 }
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
export const ACCESS = ['step_free', 'hearing_loop', 'quiet_space', 'bsl', 'autism_friendly']
export const CATEGORIES = ['walking', 'music_singing', 'befriending', 'cookery']
export const NEEDS = ['loneliness', 'anxiety', 'mobility']
export const AUDIENCE = ['older_people', 'carers', 'men']
export const GROUP_SIZES = ['one_to_one', 'small', 'medium', 'large']
export const LANGUAGES = ['en', 'cy', 'pl', 'bsl']
/** Words that English stemming leaves alone or maps alike on both sides, used for q. */
export const TOKENS = ['zumba', 'choir', 'chess', 'ukulele', 'pottery']
const NAMES = ['Walk', 'walk', 'WALK', 'Choir Night', 'choir night', 'a_b', 'a b', 'aB', 'Zumba Fit', '_under', '~tilde', '0 zero', "Men's Shed", 'Chess at Six', 'Pottery']
export const ORGANISATIONS = ['Rye Chess Club', 'Peckham Friends', 'Camberwell Ukulele Trust', 'Dulwich Group']

export interface GenVenue { org: number; lat: number; lon: number; accessibility: string[]; deleted: boolean }
export interface GenSession {
  venue: number | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'
  days: string[]
  week_of_month: number | null
  date: string | null
  starts: string
  ends: string
  valid_from: string | null
  valid_to: string | null
  except_dates: string[]
  notes: string
}
export interface GenScheme {
  org: number
  name: string
  description: string
  categories: string[]
  needs: string[]
  audience: string[]
  delivery: string[]
  cost_free: boolean
  cost_amount_pence: number | null
  min_age: number | null
  max_age: number | null
  self_referral: boolean
  accepting_referrals: boolean
  group_size: string | null
  languages: string[]
  accessibility: string[]
  service_area: any
  status: 'active' | 'paused' | 'ended'
  deleted: boolean
  verified_days_ago: number
  always_open: boolean
  by_arrangement: boolean
  sessions: GenSession[]
}

const maybe = <T>(arb: fc.Arbitrary<T>, weight = 3) => fc.oneof({ arbitrary: fc.constant(undefined), weight }, { arbitrary: arb, weight: 1 })
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

const venueArb = fc.record({
  org: fc.integer({ min: 0, max: ORGANISATIONS.length - 1 }),
  bearing: fc.double({ min: 0, max: 360, noNaN: true }),
  metres: fc.oneof(
    { arbitrary: fc.double({ min: 0, max: 12000, noNaN: true }), weight: 8 },
    { arbitrary: fc.constantFrom(0, 1000, 5000, 5003, 4997), weight: 1 },
  ),
  accessibility: fc.subarray(ACCESS),
})

function areaArb(): fc.Arbitrary<any> {
  const center = fc.record({ bearing: fc.double({ min: 0, max: 360, noNaN: true }), metres: fc.double({ min: 0, max: 8000, noNaN: true }) })
    .map(({ bearing, metres }) => destination(ORIGIN, bearing, metres))
  const round = (p: LatLon) => ({ lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) })
  return fc.oneof(
    fc.constant({ type: 'national' }),
    fc.record({ center, radius_m: fc.integer({ min: 500, max: 8000 }) }).map(({ center, radius_m }) => ({ type: 'radius', center: round(center), radius_m })),
    fc.record({ center, half: fc.integer({ min: 500, max: 4000 }) }).map(({ center, half }) => {
      // a diamond: four points at the compass bearings, closed
      const ring = [0, 90, 180, 270, 0].map((b) => { const p = round(destination(center, b, half)); return [p.lon, p.lat] })
      return { type: 'polygon', geometry: { type: 'Polygon', coordinates: [ring] } }
    }),
  )
}

function sessionArb(today: string, venueChoices: number[], remoteAllowed: boolean): fc.Arbitrary<Omit<GenSession, 'notes'>> {
  const venue = remoteAllowed && venueChoices.length
    ? fc.oneof(fc.constantFrom(...venueChoices), fc.constant(null))
    : venueChoices.length ? fc.constantFrom(...venueChoices) : fc.constant(null)
  return fc.record({
    venue,
    frequency: fc.oneof({ arbitrary: fc.constant('weekly' as const), weight: 4 }, { arbitrary: fc.constantFrom('fortnightly' as const, 'monthly' as const, 'once' as const), weight: 4 }),
    days: fc.subarray(DAYS, { minLength: 1, maxLength: 3 }),
    week_of_month: fc.constantFrom(1, 2, 3, 4, 5, -1),
    date: fc.integer({ min: -10, max: 90 }).map((n) => plusDays(today, n)),
    start: fc.integer({ min: 6 * 4, max: 21 * 4 }).map((q) => q * 15),
    length: fc.integer({ min: 2, max: 12 }).map((q) => q * 15),
    // one session in six runs past midnight: from 21:00–23:45 to 00:00–06:00 the next morning
    overnight: fc.option(fc.record({ start: fc.integer({ min: 21 * 4, max: 23 * 4 + 3 }), end: fc.integer({ min: 0, max: 24 }) }), { freq: 5 }),
    from: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.integer({ min: -300, max: 60 }), weight: 1 }),
    to: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.integer({ min: -30, max: 200 }), weight: 1 }),
    except: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 2 }),
  }).map((r) => {
    const once = r.frequency === 'once'
    let from = r.from
    if (r.frequency === 'fortnightly' && from === null) from = -17
    const to = r.to !== null && from !== null && r.to < from ? from + 30 : r.to
    return {
      venue: r.venue,
      frequency: r.frequency,
      days: once ? [] : r.days,
      week_of_month: r.frequency === 'monthly' ? r.week_of_month : null,
      date: once ? r.date : null,
      starts: hhmm(r.overnight ? r.overnight.start * 15 : r.start),
      ends: r.overnight ? hhmm(r.overnight.end * 15) : hhmm(Math.min(r.start + r.length, 23 * 60 + 59)),
      valid_from: once || from === null ? null : plusDays(today, from),
      valid_to: once || to === null ? null : plusDays(today, to),
      except_dates: [...new Set(r.except.map((n) => plusDays(today, n)))].sort(),
    }
  })
}

export function generate(seed: number, today: string): { venues: GenVenue[]; schemes: GenScheme[] } {
  const raw = fc.sample(fc.array(venueArb, { minLength: 32, maxLength: 32 }), { seed, numRuns: 1 })[0]
  const venues: GenVenue[] = raw.map((v, i) => ({ org: v.org, ...destination(ORIGIN, v.bearing, v.metres), accessibility: v.accessibility, deleted: i % 16 === 15 })) // two deleted venues
  const schemeArb = fc.record({
    org: fc.integer({ min: 0, max: ORGANISATIONS.length - 1 }),
    name: fc.constantFrom(...NAMES),
    token: fc.option(fc.constantFrom(...TOKENS), { freq: 2 }),
    // a listing has at least one category (issue 12)
    categories: fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 }),
    needs: fc.subarray(NEEDS, { maxLength: 2 }),
    audience: fc.subarray(AUDIENCE, { maxLength: 2 }),
    delivery: fc.constantFrom<string[]>(['in_person'], ['in_person'], ['in_person', 'online'], ['telephone'], ['online', 'home_visit'], ['in_person', 'telephone'],
      ['telephone', 'text_chat']),
    // a remote scheme may be always open or by arrangement (ignored for in-person-only ones)
    open: fc.constantFrom('timetable', 'timetable', 'timetable', 'timetable', 'always', 'arranged'),
    cost: fc.oneof(fc.constant({ free: true, amount: null }), fc.record({ free: fc.constant(false), amount: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 5 }) })),
    min_age: fc.option(fc.integer({ min: 0, max: 70 }), { freq: 2 }),
    age_span: fc.option(fc.integer({ min: 0, max: 60 }), { freq: 2 }),
    self_referral: fc.boolean(),
    accepting_referrals: fc.boolean(),
    group_size: fc.option(fc.constantFrom(...GROUP_SIZES), { freq: 2 }),
    languages: fc.subarray(LANGUAGES, { minLength: 1, maxLength: 2 }),
    accessibility: fc.subarray(ACCESS, { maxLength: 2 }),
    area: areaArb(),
    status: fc.constantFrom('active', 'active', 'active', 'active', 'active', 'active', 'paused', 'ended'),
    deleted: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    verified_days_ago: fc.integer({ min: 0, max: 400 }),
    sessionSeed: fc.integer(),
    sessionCount: fc.integer({ min: 0, max: 4 }),
  })
  const rawSchemes = fc.sample(fc.array(schemeArb, { minLength: 60, maxLength: 60 }), { seed: seed + 1, numRuns: 1 })[0]
  const schemes = rawSchemes.map((r, i): GenScheme => {
    const remote = r.delivery.some((d) => d !== 'in_person')
    const inPerson = r.delivery.includes('in_person')
    const own = venues.map((v, j) => (v.org === r.org ? j : -1)).filter((j) => j >= 0)
    const choices = inPerson ? own : []
    const sessions = choices.length || remote
      ? fc.sample(fc.array(sessionArb(today, choices, remote), { minLength: r.sessionCount, maxLength: r.sessionCount }), { seed: r.sessionSeed, numRuns: 1 })[0]
      : []
    return {
      org: r.org,
      name: r.name,
      description: `A friendly group${r.token ? ` with ${r.token}` : ''}.`,
      categories: r.categories, needs: r.needs, audience: r.audience, delivery: r.delivery,
      cost_free: r.cost.free, cost_amount_pence: r.cost.amount,
      min_age: r.min_age, max_age: r.min_age !== null && r.age_span !== null ? Math.min(r.min_age + r.age_span, 100) : r.age_span,
      self_referral: r.self_referral, accepting_referrals: r.accepting_referrals, group_size: r.group_size,
      languages: r.languages, accessibility: r.accessibility,
      service_area: remote ? r.area : null,
      status: r.status as GenScheme['status'], deleted: r.deleted, verified_days_ago: r.verified_days_ago,
      always_open: remote && r.open === 'always', by_arrangement: remote && r.open === 'arranged',
      sessions: sessions.map((s, k) => ({ ...s, notes: `s${i}.${k}` })),
    }
  })
  return { venues, schemes }
}

/** A random search: each filter present now and then; a place four times in five. */
export function queryArb(today: string, organisationIds: string[]): fc.Arbitrary<OQuery & { limit: number }> {
  const subset = (xs: string[], max = 2) => fc.subarray(xs, { minLength: 1, maxLength: max })
  const origin = fc.record({ bearing: fc.double({ min: 0, max: 360, noNaN: true }), metres: fc.double({ min: 0, max: 3000, noNaN: true }) })
    .map(({ bearing, metres }) => { const p = destination(ORIGIN, bearing, metres); return { lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) } })
  return fc.record({
    origin: fc.oneof({ arbitrary: origin, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }),
    radius_m: fc.constantFrom(100, 300, 1000, 2500, 5000, 5000, 8000, 20000),
    days: maybe(subset(DAYS, 3)),
    period: maybe(subset(['morning', 'afternoon', 'evening', 'night'])),
    starts_after: maybe(fc.integer({ min: 24, max: 92 }).map((q) => hhmm(q * 15)), 6),
    // the early hours too, where a session past midnight may be over
    ends_before: maybe(fc.oneof(fc.integer({ min: 40, max: 95 }), fc.integer({ min: 0, max: 26 })).map((q) => hhmm(q * 15)), 6),
    date: maybe(fc.integer({ min: 0, max: 90 }).map((n) => plusDays(today, n)), 5),
    accessibility: maybe(subset(ACCESS)),
    delivery: maybe(subset(['in_person', 'online', 'telephone', 'home_visit', 'text_chat'], 3)),
    category: maybe(subset(CATEGORIES), 5),
    need: maybe(subset(NEEDS), 5),
    audience: maybe(subset(AUDIENCE), 6),
    audience_only: maybe(fc.boolean(), 6),
    group_size: maybe(subset(GROUP_SIZES, 3), 6),
    language: maybe(subset(LANGUAGES), 6),
    free: maybe(fc.boolean(), 5),
    max_cost_pence: maybe(fc.integer({ min: 0, max: 800 }), 6),
    age: maybe(fc.integer({ min: 0, max: 100 }), 6),
    self_referral: maybe(fc.boolean(), 6),
    accepting_referrals: maybe(fc.boolean(), 6),
    q: maybe(fc.constantFrom(...TOKENS, 'group'), 6),
    organisation_id: maybe(fc.constantFrom(...organisationIds), 8),
    verified_within_days: maybe(fc.integer({ min: 0, max: 400 }), 6),
    limit: fc.integer({ min: 1, max: 8 }),
  }).map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as unknown as OQuery & { limit: number })
}

/** The query string of a search. */
export function toQueryString(q: OQuery & { limit: number }): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (k === 'origin') {
      if (v) { p.set('lat', String((v as LatLon).lat)); p.set('lon', String((v as LatLon).lon)) }
    } else if (k === 'radius_m') {
      if (q.origin) p.set(k, String(v))
    } else p.set(k, Array.isArray(v) ? v.join(',') : String(v))
  }
  return p.toString()
}
