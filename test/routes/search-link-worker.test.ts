/**
 * The link worker's question, on a small directory written through the API as charities
 * would: "near SE15 4, Tuesday or Thursday evening, step-free, free, for loneliness".
 * Every scheme below is there to be found or to be left out for one stated reason.
 */
import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createVenue } from '../fixtures/api.ts'
import { destination, distance } from '../oracle/geodesic.ts'
import { plusDays, ukToday, upcoming, type OSession } from '../oracle/schedule.ts'

const SE15_4 = { lat: 51.466263, lon: -0.070785 } // the sector's centroid in OS Code-Point Open

t.test('postcode=SE15 4&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness', async (t) => {
  const { app } = await build(t)
  const today = ukToday(Date.now())
  const { key } = await createOrganisation(app, { name: 'Peckham Together' })
  const venue = async (name: string, bearing: number, metres: number, accessibility: string[]) => {
    const p = destination(SE15_4, bearing, metres)
    const v = await createVenue(app, key, { name, location: { lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) }, accessibility })
    return { id: v.id as string, at: v.location as { lat: number; lon: number } }
  }
  const hall = await venue('Rye Lane Hall', 20, 400, ['step_free', 'accessible_toilet'])
  const library = await venue('Peckham Library', 300, 800, ['step_free', 'hearing_loop'])
  const church = await venue('St Giles Church', 200, 1500, ['step_free'])
  const centre = await venue('Choir Centre', 100, 2000, ['step_free'])
  const pub = await venue('The Old Pub', 45, 600, [])
  const far = await venue('Crystal Palace Park', 190, 7000, ['step_free'])

  const created: Record<string, any> = {}
  const scheme = async (name: string, sessions: any[], extra: Record<string, unknown> = {}) => {
    const body = { name, description: 'Company and a cup of tea.', categories: ['coffee_morning'], needs: ['loneliness'], delivery: ['in_person'], cost: { free: true }, contact: { phone: '020 7946 0958' }, sessions, ...extra }
    const res = await call(app, 'POST', '/v1/schemes', { key, body })
    if (res.statusCode !== 201) throw new Error(`${name}: ${res.statusCode} ${res.body}`)
    created[name] = res.json()
    return created[name]
  }
  const weekly = (v: { id: string }, days: string[], starts: string, ends: string, extra = {}) => ({ venue_id: v.id, frequency: 'weekly', days, starts, ends, ...extra })
  const monday = plusDays(today, -((new Date(today + 'T00:00:00Z').getUTCDay() + 6) % 7) - 14)

  // found
  await scheme('Rye Lane Evening Walk', [weekly(hall, ['tue'], '18:00', '19:30')])
  await scheme('Last Tuesday Tea', [{ venue_id: library.id, frequency: 'monthly', days: ['tue'], week_of_month: -1, starts: '17:30', ends: '19:00' }])
  await scheme('Fortnightly Thursday Walk', [{ venue_id: church.id, frequency: 'fortnightly', days: ['thu'], starts: '18:30', ends: '20:00', valid_from: monday }])
  await scheme('Peckham Choir', [weekly(centre, ['thu'], '19:00', '21:00'), weekly(centre, ['sat'], '10:00', '12:00')], { needs: ['loneliness', 'low_mood'] })
  // left out
  await scheme('Supper at the Pub', [weekly(pub, ['thu'], '18:00', '20:00')]) // not step-free
  await scheme('Morning Coffee', [weekly(hall, ['tue'], '10:00', '12:00')]) // morning
  await scheme('Pottery Evening', [weekly(hall, ['tue'], '18:00', '20:00')], { cost: { free: false, amount_pence: 300, per: 'session' } }) // not free
  await scheme('Bereavement Circle', [weekly(hall, ['thu'], '18:00', '19:30')], { needs: ['bereavement'] }) // another need
  await scheme('Palace Park Walk', [weekly(far, ['tue'], '18:00', '19:00')]) // 7 km away
  await scheme('Two Halls', [weekly(hall, ['tue'], '10:00', '11:00'), weekly(pub, ['tue'], '18:00', '19:00')]) // step-free only in the morning
  await scheme('Wednesday Social', [weekly(hall, ['wed'], '18:00', '20:00')]) // Wednesday
  await scheme('Friendship Line', [], { delivery: ['telephone'], service_area: { type: 'national' } }) // by telephone
  await scheme('Summer Evenings', [weekly(hall, ['tue'], '18:00', '20:00', { valid_from: plusDays(today, -200), valid_to: plusDays(today, -30) })]) // over
  await scheme('Resting Group', [weekly(hall, ['thu'], '18:00', '20:00')], { status: 'paused' }) // paused

  const res = await app.inject('/v1/schemes?postcode=SE15%204&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness')
  t.equal(res.statusCode, 200, res.body)
  const page = res.json()
  t.same(page.origin, { ...SE15_4, precision: 'sector' })
  t.equal(page.next_cursor, null)
  t.same(page.items.map((i: any) => i.name), ['Rye Lane Evening Walk', 'Last Tuesday Tea', 'Fortnightly Thursday Walk', 'Peckham Choir'], 'nearest first')

  const expect = [
    { name: 'Rye Lane Evening Walk', venue: hall, sessions: 1 },
    { name: 'Last Tuesday Tea', venue: library, sessions: 1 },
    { name: 'Fortnightly Thursday Walk', venue: church, sessions: 1 },
    { name: 'Peckham Choir', venue: centre, sessions: 1 },
  ]
  for (const [i, e] of expect.entries()) {
    const item = page.items[i]
    const d = distance(SE15_4, e.venue.at)
    t.equal(item.venue.id, e.venue.id, `${e.name}: at its venue`)
    t.ok(Math.abs(item.distance_m - d) < d * 0.001, `${e.name}: ${item.distance_m} m`)
    t.ok(item.venue.accessibility.includes('step_free'))
    t.equal(item.matching_sessions.length, e.sessions, `${e.name}: the Saturday choir session does not match`)
    t.match(item, { cost: { free: true }, organisation: { name: 'Peckham Together' }, stale: false, status: 'active' })
    const sessions: OSession[] = item.matching_sessions.map((s: any) => ({ venue_id: s.venue_id, frequency: s.frequency, days: s.days ?? [], week_of_month: s.week_of_month ?? null, date: s.date ?? null, starts: s.starts, ends: s.ends, valid_from: s.valid_from ?? null, valid_to: s.valid_to ?? null, except_dates: s.except_dates ?? [], notes: '' }))
    t.same(item.next_occurrences, upcoming(sessions, Date.now()), `${e.name}: next starts ${item.next_occurrences.join(', ')}`)
    t.ok(item.next_occurrences.length >= 1 && item.next_occurrences.every((x: string) => /T(17:30|18:00|18:30|19:00):00(Z|\+01:00)$/.test(x)))
  }
})
