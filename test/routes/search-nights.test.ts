/**
 * The loneliest hours (issue 17) and schemes without a timetable (issue 13): a night line
 * from 22:00 to 02:00 on Fridays, a 24-hour national line, an in-person late café past
 * midnight, access words for autistic people and for someone to go with you, home visits
 * by arrangement, and audience read as "suitable for". Written through the API as a
 * charity would, searched with the clock pinned in winter, in summer and on both nights
 * the clocks change.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { build, TEST_LIMITS } from '../helper.ts'
import { call, checksum, createOrganisation, createVenue, schemeBody } from '../fixtures/api.ts'
import { destination } from '../oracle/geodesic.ts'

const SE15_4 = { lat: 51.466263, lon: -0.070785 }
// far corners of Great Britain, for the national lines
const PENZANCE = { lat: 50.1186, lon: -5.5371 }
const THURSO = { lat: 58.5936, lon: -3.5221 }
const NORWICH = { lat: 52.6309, lon: 1.2974 }

t.test('nights, always-open lines, new access words, by arrangement and "suitable for"', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app, { name: 'Night Owls Listening' })
  const at = (bearing: number, metres: number) => {
    const p = destination(SE15_4, bearing, metres)
    return { lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) }
  }
  const cafe = await createVenue(app, key, { name: 'Late Café', location: at(10, 500), accessibility: ['step_free'] })
  const library = await createVenue(app, key, { name: 'Library', location: at(200, 900), accessibility: [] })
  const ids: Record<string, string> = {}
  const scheme = async (name: string, extra: Record<string, unknown>) => {
    const res = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ name, ...extra }) })
    t.equal(res.statusCode, 201, `${name} created`, { body: res.body })
    ids[name] = res.json().id
    return res.json()
  }
  const remote = { delivery: ['telephone', 'text_chat'], service_area: { type: 'national' }, contact: { phone: '0808 157 0202', text: '07700 900202' } }
  const night = await scheme('Night line', { ...remote, accessibility: ['no_phone_needed'],
    sessions: [{ venue_id: null, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '02:00' }] })
  t.same(night.sessions[0], { venue_id: null, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '02:00', summary: 'Every Friday, 10pm to 2am' },
    'a session past midnight is kept as written, and read out as one')
  t.equal(night.contact.text, '07700 900202', 'contact.text kept')
  const always = await scheme('Always There', { ...remote, always_open: true, accessibility: ['no_phone_needed'], sessions: [] })
  t.equal(always.always_open, true)
  t.equal(always.schedule_summary, 'Open 24 hours, every day')
  t.equal(always.by_arrangement, false, 'by_arrangement defaults to false')
  await scheme('Late café', { sessions: [{ venue_id: cafe.id, frequency: 'weekly', days: ['sat'], starts: '23:00', ends: '01:00' }] })
  await scheme('Quiet social', { accessibility: ['autism_friendly', 'sensory_friendly'],
    sessions: [{ venue_id: library.id, frequency: 'weekly', days: ['sat'], starts: '10:30', ends: '12:00' }] })
  await scheme('Walk with me', { accessibility: ['accompaniment', 'transport'],
    sessions: [{ venue_id: library.id, frequency: 'weekly', days: ['wed'], starts: '14:00', ends: '15:00' }] })
  await scheme('Home visits', { delivery: ['home_visit'], by_arrangement: true, service_area: { type: 'radius', center: SE15_4, radius_m: 4000 },
    sessions: [] })
  // a befriending line with a timetable (Tuesdays) and one with none and no flag: neither meets a Saturday search
  await scheme('Tuesday calls', { delivery: ['telephone'], service_area: { type: 'national' },
    sessions: [{ venue_id: null, frequency: 'weekly', days: ['tue'], starts: '10:00', ends: '11:00' }] })
  await scheme('Untimed calls', { delivery: ['telephone'], service_area: { type: 'national' }, sessions: [] })
  // audience: open to everyone, for older people, for women
  const weekly = { venue_id: cafe.id, frequency: 'weekly', days: ['mon'], starts: '10:00', ends: '11:00' }
  await scheme('Open coffee', { categories: ['coffee_morning'], audience: [], sessions: [weekly] })
  await scheme('Older coffee', { categories: ['coffee_morning'], audience: ['older_people'], sessions: [weekly] })
  await scheme('Women coffee', { categories: ['coffee_morning'], audience: ['women'], sessions: [weekly] })

  const pinned = async (iso: string) => {
    const a = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS }), { db, now: () => new Date(iso) })
    await a.ready()
    t.teardown(() => a.close())
    return a
  }
  const search = async (a: FastifyInstance, query: string, place = SE15_4) => {
    const res = await call(a, 'GET', `/v1/schemes?lat=${place.lat}&lon=${place.lon}&limit=100&${query}`)
    t.equal(res.statusCode, 200, query, { body: res.body })
    return res.json().items as any[]
  }
  const names = (items: any[]) => items.map((i) => i.name).sort()

  // Thursday 3 December 2026, winter (GMT)
  const winter = await pinned('2026-12-03T12:00:00Z')
  const phone = 'delivery=telephone,text_chat'
  t.same(names(await search(winter, `${phone}&days=fri&period=night`)), ['Always There', 'Night line'], 'days=fri&period=night')
  t.same(names(await search(winter, `${phone}&period=evening`)), ['Always There', 'Night line'], 'period=evening: it starts at 22:00')
  t.same(names(await search(winter, `${phone}&date=2026-12-04`)), ['Always There', 'Night line'], 'date=a Friday')
  t.same(names(await search(winter, `${phone}&days=sat`)), ['Always There'], 'days=sat: the night line belongs to the Friday it starts')
  t.same(names(await search(winter, `${phone}&date=2026-12-05`)), ['Always There'], 'date=the Saturday its night runs into')
  t.same(names(await search(winter, `${phone}&ends_before=03:00`)), ['Always There', 'Night line'], 'over by 03:00 the next morning (a day session is compared on its own day: 11:00 is after 03:00)')
  t.same(names(await search(winter, `${phone}&ends_before=01:00`)), ['Always There'], 'not over by 01:00')
  t.same(names(await search(winter, `${phone}&ends_before=23:00`)), ['Always There', 'Tuesday calls'], 'not over by 23:00 the same evening')
  t.same(names(await search(winter, `${phone}&starts_after=21:30`)), ['Always There', 'Night line'], 'starts after 21:30')
  t.same(names(await search(winter, `${phone}&period=morning`)), ['Always There', 'Tuesday calls'], 'a night line is not a morning one')
  const [line] = (await search(winter, `${phone}&days=fri&period=night`)).filter((i) => i.name === 'Night line')
  t.same(line.next_occurrences.slice(0, 2), ['2026-12-04T22:00:00Z', '2026-12-11T22:00:00Z'], 'winter: Fridays at 22:00 GMT')

  // in person, past midnight, near the patient
  t.same(names(await search(winter, 'days=sat&period=night')), ['Late café'], 'in person: Saturday night')
  t.same(names(await search(winter, 'days=sun')), [], 'the Saturday café does not run on Sunday')
  t.same(names(await search(winter, 'period=night&accessibility=step_free')), ['Late café'], 'night and step-free')

  // always open, from anywhere in Great Britain, whatever day and time is asked
  for (const [where, place] of [['Penzance', PENZANCE], ['Thurso', THURSO], ['Norwich', NORWICH]] as const) {
    for (const q of ['days=sun&period=night', 'period=morning&starts_after=06:00&ends_before=09:00', 'date=2026-12-25', 'days=mon,tue']) {
      const items = await search(winter, `${phone}&${q}`, place)
      const found = items.find((i) => i.name === 'Always There')
      t.ok(found, `${where}: ${q}`)
      t.equal(found?.always_open, true, `${where}: the item says always_open`)
    }
  }

  // the new words
  t.same(names(await search(winter, 'accessibility=autism_friendly')), ['Quiet social'], 'accessibility=autism_friendly')
  t.same(names(await search(winter, 'accessibility=sensory_friendly,autism_friendly')), ['Quiet social'], 'two new codes at once')
  t.same(names(await search(winter, 'accessibility=accompaniment')), ['Walk with me'], 'accessibility=accompaniment')
  t.same(names(await search(winter, 'accessibility=transport')), ['Walk with me'], 'accessibility=transport')
  t.same(names(await search(winter, 'delivery=text_chat')), ['Always There', 'Night line'], 'delivery=text_chat')
  t.same(names(await search(winter, 'delivery=text_chat&accessibility=no_phone_needed')), ['Always There', 'Night line'], 'no phone needed')

  // by arrangement: home visits meet a weekend question, without next occurrences
  const weekend = await search(winter, 'delivery=home_visit,telephone&days=sat,sun')
  t.same(names(weekend), ['Always There', 'Home visits'], 'days=sat,sun: the always-open line and the visits by arrangement; not the Tuesday calls')
  const visits = weekend.find((i) => i.name === 'Home visits')
  t.equal(visits.by_arrangement, true, 'the item says by_arrangement')
  t.same(visits.next_occurrences, [], 'and has no next_occurrences')
  t.equal(visits.schedule_summary, 'Times arranged with you')
  t.same(names(await search(winter, 'delivery=home_visit,telephone')), ['Always There', 'Home visits', 'Night line', 'Tuesday calls', 'Untimed calls'],
    'without a session filter, a remote scheme without sessions matches as before')

  // audience: suitable for
  t.same(names(await search(winter, 'category=coffee_morning&audience=older_people')), ['Older coffee', 'Open coffee'], 'older people: open to all, or for them')
  t.same(names(await search(winter, 'category=coffee_morning&audience=older_people&audience_only=true')), ['Older coffee'], 'audience_only')
  t.same(names(await search(winter, 'category=coffee_morning&audience=men')), ['Open coffee'], 'men: not the women\'s group')
  t.same(names(await search(winter, 'category=coffee_morning&audience=women,older_people')), ['Older coffee', 'Open coffee', 'Women coffee'], 'any of them')

  // summer (BST), and the two nights the clocks change
  const summer = await pinned('2027-07-01T12:00:00Z')
  const [july] = (await search(summer, `${phone}&days=fri`)).filter((i) => i.name === 'Night line')
  t.same(july.next_occurrences.slice(0, 2), ['2027-07-02T22:00:00+01:00', '2027-07-09T22:00:00+01:00'], 'summer: Fridays at 22:00 BST')
  const october = await pinned('2026-10-23T12:00:00Z') // the Friday before the clocks go back (Sunday 25 October 2026)
  const [oct] = (await search(october, `${phone}&days=fri`)).filter((i) => i.name === 'Night line')
  t.same(oct.next_occurrences.slice(0, 2), ['2026-10-23T22:00:00+01:00', '2026-10-30T22:00:00Z'], 'across the October change')
  const march = await pinned('2027-03-26T12:00:00Z') // the Friday before the clocks go forward (Sunday 28 March 2027)
  const [mar] = (await search(march, `${phone}&days=fri`)).filter((i) => i.name === 'Night line')
  t.same(mar.next_occurrences.slice(0, 2), ['2027-03-26T22:00:00Z', '2027-04-02T22:00:00+01:00'], 'across the March change')

  // ORUK: the session past midnight as written, the 24-hour line as a row per day, the new codes as terms
  const nightService = (await call(app, 'GET', `/oruk/services/${ids['Night line']}`)).json()
  t.match(nightService.schedules, [{ byday: 'FR', opens_at: '22:00', closes_at: '02:00', description: /Every Friday, 10pm to 2am/ }], 'ORUK: the night session')
  t.same(nightService.phones.map((p: any) => [p.number, p.type ?? null]), [['0808 157 0202', null], ['07700 900202', 'text']], 'ORUK: the text number')
  const alwaysService = (await call(app, 'GET', `/oruk/services/${ids['Always There']}`)).json()
  t.same(alwaysService.schedules.map((s: any) => [s.byday, s.opens_at, s.closes_at]),
    ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].map((d) => [d, '00:00', '23:59']), 'ORUK: open 24 hours, a row per day')
  const terms: string[] = []
  for (let page = 1; page <= 5; page++) terms.push(...(await call(app, 'GET', `/oruk/taxonomy_terms?per_page=50&page=${page}`)).json().contents.map((x: any) => x.term))
  for (const code of ['autism_friendly', 'sensory_friendly', 'no_phone_needed', 'accompaniment', 'transport', 'text_chat']) {
    t.ok(terms.includes(code), `ORUK taxonomy term ${code}`)
  }
  const vocab = (await call(app, 'GET', '/v1/vocabularies')).json()
  for (const code of ['autism_friendly', 'sensory_friendly', 'no_phone_needed', 'accompaniment', 'transport']) {
    const term = vocab.accessibility.find((x: any) => x.code === code)
    t.ok(term?.label && term?.description, `vocabularies: ${code} has a label and a description`)
  }
  t.ok(vocab.delivery.find((x: any) => x.code === 'text_chat')?.description, 'vocabularies: text_chat described')
  t.match(vocab.period.find((x: any) => x.code === 'night')?.label, /23:00–06:00/, 'vocabularies: night 23:00–06:00')

  // CSV export: the span and the flags
  const csv = (await call(app, 'GET', '/v1/export.csv')).body
  t.match(csv, /always_open,by_arrangement/, 'CSV: the flag columns')
  t.match(csv, /Night line.*,22:00,02:00,/, 'CSV: the session past midnight')
})

t.test('bad spans and flags are 400s naming the field; nothing is written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app, { name: 'Checks' })
  const venue = await createVenue(app, key)
  const before = await checksum(app)
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['14:00–13:00 is not a night', { sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '14:00', ends: '13:00' }] },
      '/sessions/0/ends', /06:00/],
    ['22:00–07:00 ends after 06:00', { sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '07:00' }] },
      '/sessions/0/ends', /06:00/],
    ['10:00–10:00', { sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '10:00', ends: '10:00' }] },
      '/sessions/0/ends', /differ/],
    ['24:00 is not a time', { sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '24:00' }] },
      '/sessions/0/ends', /HH:MM/],
    ['always_open in person only', { always_open: true, sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '10:00', ends: '11:00' }] },
      '/always_open', /delivered remotely/],
    ['by_arrangement in person only', { by_arrangement: true, sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['fri'], starts: '10:00', ends: '11:00' }] },
      '/by_arrangement', /delivered remotely/],
    ['always_open as a string', { always_open: 'yes', delivery: ['telephone'], service_area: { type: 'national' } }, '/always_open', /boolean/],
    ['contact.text not a phone number', { contact: { text: 'text me' } }, '/contact/text', /phone/],
    ['text_chat without a service area', { delivery: ['text_chat'], sessions: [] }, '/service_area', /text_chat/],
    ['unknown access code', { accessibility: ['autistic'] }, '/accessibility/0', /one of/],
  ]
  for (const [what, body, pointer, message] of cases) {
    const res = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody(body) })
    t.equal(res.statusCode, 400, `${what}: 400`)
    const hit = res.json().errors?.find((e: any) => e.pointer === pointer)
    t.ok(hit, `${what}: names ${pointer}`, { errors: res.json().errors })
    t.match(hit?.message, message, `${what}: says why`)
  }
  t.equal(await checksum(app), before, 'nothing written')
})
