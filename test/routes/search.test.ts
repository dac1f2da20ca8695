/**
 * GET /v1/schemes, one SPEC §3 rule at a time, on small hand-made data. The clock is pinned
 * at Tuesday 24 November 2026, 12:00 UK (test/oracle/app.ts), so dates are written out.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helper.ts'
import { pinnedApp } from '../oracle/app.ts'
import { destination, distance } from '../oracle/geodesic.ts'
import { insertOrganisation, insertScheme, insertVenue, type SchemeRow, type SessionRow } from '../fixtures/sql.ts'
import type { Db } from '../../src/db/client.ts'
import type { FastifyInstance } from 'fastify'

const NOW = new Date('2026-11-24T12:00:00Z')
const O = { lat: 51.4663, lon: -0.0708 }
const at = (bearing: number, metres: number) => destination(O, bearing, metres)
const weekly = (venue_id: string | null, days: string[], starts: string, ends: string, extra: Partial<SessionRow> = {}): SessionRow =>
  ({ venue_id, frequency: 'weekly', days, starts, ends, ...extra })

async function setup(t: any, now = NOW) {
  const { db } = await build(t)
  const app = await pinnedApp(t, db, now)
  const org = await insertOrganisation(db, 'Southwark Friends')
  const scheme = (name: string, sessions: SessionRow[], extra: Partial<SchemeRow> = {}) =>
    insertScheme(db, { organisation_id: org.id, name, sessions, ...extra })
  const venue = (p: { lat: number; lon: number }, accessibility: string[] = []) => insertVenue(db, { organisation_id: org.id, ...p, accessibility }).then((v) => v.id)
  const search = async (qs: string) => {
    const res = await app.inject(`/pinned/v1/schemes?${qs}`)
    if (res.statusCode !== 200) throw new Error(`${qs}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  const names = async (qs: string) => (await search(qs)).items.map((i: any) => i.name)
  return { db, app, org, scheme, venue, search, names }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)

t.test('place and radius: geodesic distance, nearest first, ties by id, the nearest matching venue', async (t) => {
  const { db, scheme, venue, search, names } = await setup(t)
  const vAt = await venue(O)
  const v90 = await venue(at(0, 90))
  const v99 = await venue(at(270, 99))
  const v4800 = await venue(at(120, 4800))
  const v4900 = await venue(at(90, 4900))
  const v5100 = await venue(at(180, 5100))
  const where = new Map([[vAt, O], [v90, at(0, 90)], [v99, at(270, 99)], [v4800, at(120, 4800)], [v4900, at(90, 4900)], [v5100, at(180, 5100)]])
  const tue = (v: string) => [weekly(v, ['tue'], '18:00', '19:00')]
  await scheme('At the place', tue(vAt))
  const tie1 = await scheme('Tie one', tue(v90))
  const tie2 = await scheme('Tie two', tue(v90))
  await scheme('West 99', tue(v99))
  await scheme('East 4900', tue(v4900))
  await scheme('South 5100', tue(v5100))
  // morning near, evening far: which venue counts depends on the filter
  await scheme('Two venues', [weekly(v5100, ['thu'], '19:00', '20:00', { notes: 'far evening' }), weekly(v4800, ['thu'], '09:00', '10:00', { notes: 'near morning' })])

  const ties = [tie1, tie2].sort(byId).map((s) => s.name)
  const page = await search(`lat=${O.lat}&lon=${O.lon}`)
  t.same(page.items.map((i: any) => i.name), ['At the place', ...ties, 'West 99', 'Two venues', 'East 4900'], 'default radius 5000 m, nearest first, ties by id')
  t.same(page.origin, { lat: O.lat, lon: O.lon, precision: 'coordinates' })
  t.equal(page.next_cursor, null)
  for (const item of page.items) {
    const d = distance(O, where.get(item.venue.id)!)
    t.ok(Math.abs(item.distance_m - d) <= Math.max(d * 0.001, 0.01), `${item.name}: distance_m ${item.distance_m} is the geodesic ${d.toFixed(3)}`)
  }
  t.equal(page.items[0].distance_m, 0, 'a venue exactly at the place is at 0 m, inside')

  t.same(await names(`lat=${O.lat}&lon=${O.lon}&radius_m=100`), ['At the place', ...ties, 'West 99'])
  t.same(await names(`lat=${O.lat}&lon=${O.lon}&radius_m=6000`), ['At the place', ...ties, 'West 99', 'Two venues', 'East 4900', 'South 5100'])

  const two = (await search(`lat=${O.lat}&lon=${O.lon}&radius_m=6000&period=evening&days=thu`)).items
  t.equal(two.length, 1)
  t.equal(two[0].venue.id, v5100, 'the nearest *matching* venue, not the nearest venue')
  t.same(two[0].matching_sessions.map((s: any) => s.notes), ['far evening'], 'only the sessions that matched there')
  const both = (await search(`lat=${O.lat}&lon=${O.lon}&radius_m=6000&days=thu`)).items.find((i: any) => i.name === 'Two venues')
  t.equal(both.venue.id, v4800)
  t.same(both.matching_sessions.map((s: any) => s.notes), ['near morning'], 'the sessions at the nearest matching venue only')

  // the radius is inclusive: a venue exactly radius_m away is inside
  const [{ d }] = await db.query<{ d: number }>(sql`SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint(${O.lon}::float8, ${O.lat}::float8), 4326)::geography) AS d FROM venues WHERE id = ${v4900}::uuid`)
  t.ok((await names(`lat=${O.lat}&lon=${O.lon}&radius_m=${d}`)).includes('East 4900'), `radius_m=${d}: exactly at the edge is inside`)
  t.notOk((await names(`lat=${O.lat}&lon=${O.lon}&radius_m=${d - 0.01}`)).includes('East 4900'), 'a centimetre less and it is outside')
})

t.test('session filters hold for one session together, current sessions only', async (t) => {
  const { scheme, venue, search, names } = await setup(t)
  const v = await venue(O)
  await scheme('Tue evening', [weekly(v, ['tue'], '18:00', '19:30')])
  await scheme('Split', [weekly(v, ['tue'], '10:00', '11:00', { notes: 'tue morning' }), weekly(v, ['thu'], '18:00', '19:00', { notes: 'thu evening' })])
  await scheme('Ends at five', [weekly(v, ['mon'], '16:00', '17:00')])
  await scheme('Late', [weekly(v, ['fri'], '22:45', '23:30')])
  await scheme('Once Saturday', [{ venue_id: v, frequency: 'once', date: '2026-11-28', starts: '14:00', ends: '15:00' }])
  await scheme('Ended yesterday', [weekly(v, ['tue'], '18:00', '19:00', { valid_to: '2026-11-23' })])
  await scheme('Ends today', [weekly(v, ['tue'], '18:00', '19:00', { valid_to: '2026-11-24' })])
  await scheme('Once yesterday', [{ venue_id: v, frequency: 'once', date: '2026-11-23', starts: '18:00', ends: '19:00' }])
  await scheme('Once this morning', [{ venue_id: v, frequency: 'once', date: '2026-11-24', starts: '10:00', ends: '11:00' }])
  await scheme('Fortnightly Saturday', [{ venue_id: v, frequency: 'fortnightly', days: ['sat'], starts: '10:00', ends: '12:00', valid_from: '2026-11-04' }])
  await scheme('Last Wednesday', [{ venue_id: v, frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00', ends: '16:00' }])
  await scheme('Second Tue and Thu', [{ venue_id: v, frequency: 'monthly', days: ['tue', 'thu'], week_of_month: 2, starts: '14:00', ends: '16:00' }])
  await scheme('Not 1 December', [weekly(v, ['tue'], '12:00', '13:00', { except_dates: ['2026-12-01'] })])
  await scheme('From 10 December', [weekly(v, ['tue'], '12:00', '13:00', { valid_from: '2026-12-10' })])

  const all = await names('delivery=in_person')
  t.notOk(all.includes('Ended yesterday') || all.includes('Once yesterday'), 'sessions that are over do not count')
  t.ok(all.includes('Ends today') && all.includes('Once this morning'), 'valid_to today and a once session today are current')

  t.same(await names('days=tue&period=evening'), ['Ends today', 'Tue evening'], 'Split has Tuesday and evening, but not in one session')
  const split = (await search('days=thu&period=evening')).items.find((i: any) => i.name === 'Split')
  t.same(split.matching_sessions.map((s: any) => s.notes), ['thu evening'])
  t.same(await names('days=sat'), ['Fortnightly Saturday', 'Once Saturday'], "a once session's weekday is its date's")
  t.same(await names('days=sun'), [])
  t.same(await names('period=evening'), ['Ends today', 'Late', 'Split', 'Tue evening'], 'overlap: [16:00, 17:00) misses the evening; 22:45–23:30 is in it')
  t.ok((await names('period=afternoon')).includes('Ends at five'))
  t.same(await names('period=morning,evening&days=mon,fri'), ['Late'])
  t.same(await names('starts_after=18:00'), ['Ends today', 'Late', 'Split', 'Tue evening'], 'starts at or after')
  t.same(await names('ends_before=11:00'), ['Once this morning', 'Split'], 'ends at or before')
  t.same(await names('starts_after=18:00&ends_before=19:30'), ['Ends today', 'Split', 'Tue evening'])
  t.same(await names('starts_after=18:00&ends_before=19:29'), ['Ends today', 'Split'])

  const on = (date: string) => names(`date=${date}`)
  t.same(await on('2026-11-28'), ['Once Saturday'], 'fortnightly from Monday 2 Nov (the week of 4 Nov): 28 Nov is in week 3')
  t.same(await on('2026-12-05'), ['Fortnightly Saturday'], 'week 4')
  t.same(await on('2026-12-12'), [], 'week 5')
  t.same(await on('2026-11-25'), ['Last Wednesday'])
  t.same(await on('2026-12-30'), ['Last Wednesday'])
  t.same(await on('2026-12-23'), [], 'the fourth Wednesday of December is not its last')
  t.same(await on('2026-12-08'), ['Not 1 December', 'Second Tue and Thu', 'Split', 'Tue evening'])
  t.same(await on('2026-12-10'), ['Second Tue and Thu', 'Split'])
  t.same(await on('2026-12-01'), ['Split', 'Tue evening'], 'except_dates, the first Tuesday, and not yet valid')
  t.ok((await on('2026-12-15')).includes('From 10 December'))
  t.same(await on('2026-11-24'), ['Ends today', 'Not 1 December', 'Once this morning', 'Split', 'Tue evening'], 'today')
})

t.test('accessibility: all of the codes, met by the venue and the scheme together, at the matching venue', async (t) => {
  const { scheme, venue, search, names } = await setup(t)
  const stepFree = await venue(at(0, 200), ['step_free', 'hearing_loop'])
  const plain = await venue(at(0, 100))
  await scheme('BSL group', [weekly(stepFree, ['tue'], '18:00', '19:00')], { accessibility: ['bsl'] })
  await scheme('Split venues', [weekly(stepFree, ['wed'], '10:00', '11:00'), weekly(plain, ['wed'], '18:00', '19:00')])
  const q = `lat=${O.lat}&lon=${O.lon}`
  t.same(await names(`${q}&accessibility=step_free,bsl`), ['BSL group'], 'venue step_free ∪ scheme bsl')
  t.same(await names(`${q}&accessibility=step_free,bsl,quiet_space`), [], 'all of them')
  t.same((await names(`${q}&accessibility=hearing_loop`)).sort(), ['BSL group', 'Split venues'])
  t.same(await names(`${q}&accessibility=step_free&period=evening`), ['BSL group'], 'the step-free venue has no evening session of Split venues')
  const split = (await search(`${q}&accessibility=step_free&period=morning`)).items.find((i: any) => i.name === 'Split venues')
  t.equal(split.venue.id, stepFree, 'the nearer plain venue does not count')
  t.same(await names('accessibility=step_free&period=evening'), ['BSL group'], 'the same without a place')
})

t.test('scheme filters', async (t) => {
  const { db, scheme, venue, names } = await setup(t)
  const v = await venue(O)
  const s = [weekly(v, ['tue'], '18:00', '19:00')]
  const other = await insertOrganisation(db, 'Camberwell Chess Circle')
  const mk = (name: string, extra: Partial<SchemeRow>) => scheme(name, s, { cost_free: true, ...extra })
  await mk('Walkers', { categories: ['walking', 'nature_outdoors'], needs: ['loneliness'], audience: ['older_people'], group_size: 'small', languages: ['en', 'cy'], self_referral: true, description: 'Gentle walks round the park' })
  await mk('Singers', { categories: ['music_singing'], needs: ['low_mood'], audience: ['carers'], group_size: 'large', languages: ['pl'], accepting_referrals: false })
  await mk('Cheap', { cost_free: false, cost_amount_pence: 300, min_age: 18, max_age: 65 })
  await mk('Dear', { cost_free: false, cost_amount_pence: 301, min_age: 50 })
  await mk('Price varies', { cost_free: false, cost_amount_pence: null, max_age: 25 })
  await mk('Verified long ago', { verified_at: '2026-05-01T12:00:00Z' })
  await insertScheme(db, { organisation_id: other.id, name: 'Board games', sessions: s, description: 'Draughts and more' })
  await mk('Paused', { status: 'paused' })
  await mk('Ended', { status: 'ended' })
  await mk('Deleted', { deleted: true })
  const everyone = ['Board games', 'Cheap', 'Dear', 'Price varies', 'Singers', 'Verified long ago', 'Walkers']

  t.same(await names(''), everyone, 'paused, ended and deleted schemes are never shown')
  t.same(await names('category=walking,music_singing'), ['Singers', 'Walkers'], 'any of')
  t.same(await names('need=loneliness'), ['Walkers'])
  t.same(await names('audience=carers,men&audience_only=true'), ['Singers'], 'audience_only: listing one of them')
  t.same(await names('audience=carers,men'), ['Board games', 'Cheap', 'Dear', 'Price varies', 'Singers', 'Verified long ago'],
    'suitable for: listing one of them, or open to everyone (no audience listed)')
  t.same(await names('group_size=small,medium'), ['Walkers'], 'no group size matches none')
  t.same(await names('language=cy'), ['Walkers'])
  t.same(await names('language=PL,de'), ['Singers'], 'codes in any case')
  t.same(await names('free=true'), ['Board games', 'Singers', 'Verified long ago', 'Walkers'])
  t.same(await names('free=false'), ['Cheap', 'Dear', 'Price varies'])
  t.same(await names('max_cost_pence=300'), ['Board games', 'Cheap', 'Singers', 'Verified long ago', 'Walkers'], 'free, or a known amount ≤ N')
  t.same(await names('max_cost_pence=0'), ['Board games', 'Singers', 'Verified long ago', 'Walkers'])
  t.same(await names('age=18&free=false'), ['Cheap', 'Price varies'])
  t.same(await names('age=65&free=false'), ['Cheap', 'Dear'])
  t.same(await names('age=66&free=false'), ['Dear'], 'bounds inclusive, missing bounds open')
  t.same(await names('self_referral=true'), ['Walkers'])
  t.same(await names('accepting_referrals=false'), ['Singers'])
  t.same(await names('q=walking'), ['Walkers'], 'English stemming: walking finds walks')
  t.same(await names('q=chess'), ['Board games'], "the organisation's name is searched")
  t.same(await names(`q=${encodeURIComponent('draughts -chess')}`), [], 'web search syntax')
  t.same(await names(`q=${encodeURIComponent('"round the park"')}`), ['Walkers'])
  t.same(await names('q=draughts'), ['Board games'])
  t.same(await names(`organisation_id=${other.id}`), ['Board games'])
  t.same(await names('verified_within_days=30'), everyone.filter((n) => n !== 'Verified long ago'))
  t.same(await names('verified_within_days=207').then((x) => x.includes('Verified long ago')), true, '1 May 12:00 is 207 days before 24 Nov 12:00')
  t.same(await names('verified_within_days=206').then((x) => x.includes('Verified long ago')), false)
  t.same(await names('category=walking&free=false'), [], 'all filters together')
})

t.test('remote delivery: modes, service areas, remote sessions, one appearance, order', async (t) => {
  const { scheme, venue, search, names } = await setup(t)
  const near = await venue(at(45, 300))
  const far = await venue(at(180, 5100))
  const square = (c: { lat: number; lon: number }, half: number) => ({
    type: 'Polygon' as const,
    coordinates: [[0, 90, 180, 270, 0].map((b) => { const p = destination(c, b, half); return [p.lon, p.lat] })],
  })
  await scheme('Helpline', [], { delivery: ['telephone'], service_area: { type: 'national' } })
  await scheme('zoom near', [], { delivery: ['online'], service_area: { type: 'radius', center: at(90, 1000), radius_m: 2000 } })
  await scheme('Zoom far', [], { delivery: ['online'], service_area: { type: 'radius', center: at(90, 10000), radius_m: 2000 } })
  await scheme('a_visits', [], { delivery: ['home_visit'], service_area: { type: 'polygon', geometry: square(O, 3000) } })
  await scheme('ab visits elsewhere', [], { delivery: ['home_visit'], service_area: { type: 'polygon', geometry: square(at(0, 20000), 3000) } })
  await scheme('Wednesday call', [weekly(null, ['wed'], '19:00', '20:00', { notes: 'call' })], { delivery: ['telephone'], service_area: { type: 'national' } })
  await scheme('Calls ended', [weekly(null, ['wed'], '19:00', '20:00', { valid_to: '2026-10-01' })], { delivery: ['telephone'], service_area: { type: 'national' } })
  await scheme('No area', [], { delivery: ['online'], service_area: null })
  await scheme('BSL line', [], { delivery: ['telephone'], service_area: { type: 'national' }, accessibility: ['bsl'] })
  await scheme('Hybrid near', [weekly(near, ['tue'], '18:00', '19:00')], { delivery: ['in_person', 'online'], service_area: { type: 'national' } })
  await scheme('Hybrid far', [weekly(far, ['tue'], '18:00', '19:00')], { delivery: ['in_person', 'telephone'], service_area: { type: 'national' } })
  const place = `lat=${O.lat}&lon=${O.lon}`

  t.same(await names(place), ['Hybrid near'], 'with a place, delivery defaults to in_person')
  const remote = await search(`${place}&delivery=online,telephone,home_visit`)
  t.same(remote.items.map((i: any) => i.name), ['a_visits', 'BSL line', 'Helpline', 'Hybrid far', 'Hybrid near', 'Wednesday call', 'zoom near'],
    'covered: national, radius and polygon; by lower(name) byte-wise: "a_" < "bs" < "he" < "hy" < "we" < "zo"')
  for (const i of remote.items) {
    t.equal(i.distance_m, null)
    t.equal(i.venue, null)
  }
  t.same(remote.items.find((i: any) => i.name === 'Wednesday call').matching_sessions.map((s: any) => s.notes), ['call'], 'remote matching sessions are the remote ones')
  t.same(remote.items.find((i: any) => i.name === 'Hybrid near').matching_sessions, [], 'no remote sessions')

  const mixed = await search(`${place}&delivery=in_person,online,telephone`)
  t.same(mixed.items.map((i: any) => i.name), ['Hybrid near', 'BSL line', 'Helpline', 'Hybrid far', 'Wednesday call', 'zoom near'],
    'in person first; a scheme with an in-person match appears once, in person; one out of reach appears as remote')
  t.ok(mixed.items[0].distance_m > 0 && mixed.items[0].venue.id === near)

  t.same(await names(`${place}&delivery=telephone&days=wed`), ['Wednesday call'], 'a session filter needs a remote session that satisfies it')
  t.same(await names(`${place}&delivery=telephone&days=thu`), [])
  t.same(await names(`${place}&delivery=telephone,online&accessibility=bsl`), ['BSL line'], "remote: the scheme's own accessibility")
  t.same(await names(`${place}&delivery=in_person,online&accessibility=step_free`), [], 'no venue accessibility for remote matches')

  const anywhere = await names('delivery=online,telephone,home_visit')
  t.same(anywhere, ['a_visits', 'ab visits elsewhere', 'BSL line', 'Helpline', 'Hybrid far', 'Hybrid near', 'No area', 'Wednesday call', 'Zoom far', 'zoom near'],
    'without a place coverage is not checked')
  t.same(await names(''), ['a_visits', 'ab visits elsewhere', 'BSL line', 'Helpline', 'Hybrid far', 'Hybrid near', 'No area', 'Wednesday call', 'Zoom far', 'zoom near'],
    'without a place delivery defaults to all')
  const hybrid = (await search('')).items.find((i: any) => i.name === 'Hybrid near')
  t.equal(hybrid.distance_m, null)
  t.equal(hybrid.venue, null)
  t.equal(hybrid.matching_sessions.length, 1, 'without a place: all the sessions that satisfied the filters')
})

t.test('items: fields, organisation, stale, next occurrences with the UK offset across the clock changes', async (t) => {
  const { db } = await build(t)
  const org = await insertOrganisation(db, 'Nunhead Choir')
  const v = await insertVenue(db, { organisation_id: org.id, ...O, accessibility: ['step_free'] })
  const daily = weekly(v.id, ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '18:00', '19:00')
  const s = await insertScheme(db, { organisation_id: org.id, name: 'Every evening', sessions: [daily], verified_days_ago: 179, cost_free: false, cost_amount_pence: 250 })
  await insertScheme(db, { organisation_id: org.id, name: 'Old news', sessions: [daily], verified_days_ago: 181 })

  const spring = await pinnedApp(t, db, new Date('2027-03-26T12:00:00Z'))
  let res = await spring.inject(`/pinned/v1/schemes?lat=${O.lat}&lon=${O.lon}&q=evening`)
  const item = res.json().items[0]
  t.same(item.next_occurrences, ['2027-03-26T18:00:00Z', '2027-03-27T18:00:00Z', '2027-03-28T18:00:00+01:00'], 'last Sunday of March 2027: +01:00 from then')
  t.match(item, {
    id: s.id, organisation_id: org.id, name: 'Every evening', organisation: { id: org.id, name: 'Nunhead Choir' },
    cost: { free: false, amount_pence: 250 }, status: 'active', delivery: ['in_person'], distance_m: 0,
    venue: { id: v.id, location: { lat: O.lat, lon: O.lon }, accessibility: ['step_free'] },
    matching_sessions: [{ venue_id: v.id, frequency: 'weekly', starts: '18:00', ends: '19:00' }],
  })
  t.notOk('sessions' in item, 'no full session list')

  const autumn = await pinnedApp(t, db, new Date('2027-10-29T12:00:00Z'))
  res = await autumn.inject(`/pinned/v1/schemes?lat=${O.lat}&lon=${O.lon}&q=evening`)
  t.same(res.json().items[0].next_occurrences, ['2027-10-29T18:00:00+01:00', '2027-10-30T18:00:00+01:00', '2027-10-31T18:00:00Z'], 'last Sunday of October 2027: Z from then')

  const now = await pinnedApp(t, db, NOW)
  const items = (await now.inject('/pinned/v1/schemes')).json().items
  t.same(items.map((i: any) => [i.name, i.stale]), [['Every evening', false], ['Old news', true]], 'stale past 180 days')
})
