import t from 'tap'
import { randomUUID } from 'node:crypto'
import { build } from '../../helper.ts'
import { walkFeed } from './walk.ts'
import { seed, published, publishedPairs, SCHEMES } from './dataset.ts'
import { salId } from '../../../src/formats/oruk/ids.ts'

// The feed walked as the ORUK validator walks it: the root, every list at its first, a middle
// and its last page, then up to 10 records by id from each list; every body is checked against
// ORUK's own schemas (test/fixtures/oruk-schemas). Then each filter is checked against an
// oracle worked out from the dataset's plain description (test/oruk/dataset.ts).

t.test('the feed walk validates against the ORUK 3.0 schemas', async (t) => {
  const { app, db } = await build(t)
  await seed(db)
  const requests = await walkFeed(t, app, { services: published().length, sals: publishedPairs().length })
  t.ok(requests > 40, `${requests} requests`)
  const root = (await app.inject('/oruk/')).json()
  t.match(root.openapi_url, /^http:\/\/.+\/openapi\.json$/)
})

t.test('what the records say', async (t) => {
  const { app, db } = await build(t)
  const { schemeIds, venueIds } = await seed(db)
  const idOf = (name: string) => schemeIds[SCHEMES.findIndex((s) => s.name === name)]
  const byName = async (name: string) => {
    const r = await app.inject(`/oruk/services/${idOf(name)}`)
    t.equal(r.statusCode, 200, name)
    return r.json()
  }

  const walk = await byName('Evening walk and talk')
  t.match(walk, {
    name: 'Evening walk and talk', status: 'active', email: 'walks@peckhamwalking.org.uk', fees: 'Free', minimum_age: 18,
    organization: { name: 'Peckham Walking Friends', description: 'Volunteer-led walks.', website: 'https://peckhamwalking.org.uk', organization_identifiers: [{ identifier_scheme: 'GB-CHC', identifier: '1234567' }] },
    schedules: [{ freq: 'WEEKLY', interval: 1, byday: 'TU,TH', opens_at: '18:00', closes_at: '19:30', description: 'Every Tuesday and Thursday, 6pm to 7:30pm, not on 24 December 2099' }],
    cost_options: [{ option: 'Free', amount: 0, currency: 'GBP' }],
    phones: [{ number: '020 7946 0958' }],
    languages: [{ code: 'en', name: 'English' }],
  })
  t.notOk('maximum_age' in walk, 'an unknown maximum age is left out')
  t.notOk('url' in walk, 'no website: no url')
  t.same(walk.service_at_locations.map((s: any) => s.location.name), ['Peckham Rye Park café'])
  t.match(walk.service_at_locations[0].location, {
    id: venueIds.rye, location_type: 'physical', latitude: 51.4585, longitude: -0.066,
    addresses: [{ address_1: 'Peckham Rye Park', city: 'London', postal_code: 'SE15 3UA', state_province: 'England', country: 'GB', address_type: 'physical' }],
  })
  t.same(walk.service_at_locations[0].location.accessibility.map((a: any) => a.attributes[0].taxonomy_term.term), ['step_free', 'accessible_toilet'])
  t.same(walk.attributes.map((a: any) => `${a.link_type}:${a.taxonomy_term.term}`), ['categories:walking', 'needs:loneliness', 'delivery:in_person', 'group_size:small'])
  t.equal(walk.schedules[0].service_at_location_id, walk.service_at_locations[0].id, 'the schedule names its service_at_location')

  const club = await byName('Library book club')
  t.match(club.schedules, [{ freq: 'MONTHLY', byday: '2WE', opens_at: '14:00' }])
  t.match(club.cost_options, [{ option: 'Per session', amount: 3.5, currency: 'GBP', amount_description: 'Concessions: Free for carers' }])
  t.equal(club.fees, '£3.50 per session. Concessions: Free for carers')
  t.match((await byName('Last Friday gardening')).schedules, [{ freq: 'MONTHLY', byday: '-1FR' }])
  t.match((await byName('Fortnightly coffee morning')).schedules, [{ freq: 'WEEKLY', interval: 2, byday: 'MO', dtstart: '2025-01-06', valid_from: '2025-01-06' }])
  t.match((await byName('Winter wellbeing talk')).schedules, [{ freq: 'WEEKLY', byday: 'FR', dtstart: '2099-01-09', valid_from: '2099-01-09', valid_to: '2099-01-09', description: 'Friday 9 January 2099, 7pm to 8:30pm' }])
  t.match((await byName('Leith sing and sign')).schedules, [{ valid_from: '2024-01-01', valid_to: '2099-12-31' }])
  const choir = await byName('Leith community choir')
  t.match(choir, { organization: { organization_identifiers: [{ identifier_scheme: 'GB-SC' }] }, cost_options: [{ option: 'Per month', amount: 20 }] })
  t.same(choir.languages.map((l: any) => l.name), ['English', 'British Sign Language'])
  t.equal(choir.service_at_locations[0].location.addresses[0].state_province, 'Scotland')
  t.match(await byName('Telephone befriending'), { service_areas: [{ name: 'United Kingdom' }], service_at_locations: [], schedules: [] })
  const online = await byName('Online mindfulness')
  t.match(online, { service_areas: [{ extent_type: 'geojson', name: 'Within 10000 m of 51.47, -0.07' }], schedules: [{ attending_type: 'Remote: online' }] })
  t.equal(JSON.parse(online.service_areas[0].extent).type, 'Polygon', 'a radius area is published as its polygon')
  t.notOk('service_at_location_id' in online.schedules[0], 'a remote session has no location')
  const shed = await byName("Splott men's shed")
  t.match(shed, { fees: 'Charges apply. Pay what you can', cost_options: [{ option: 'Charges apply', amount_description: 'Pay what you can' }], service_areas: [{ extent_type: 'geojson', name: 'Defined area' }] })
  t.notOk('amount' in shed.cost_options[0], 'an unknown amount is left out')
  t.equal(shed.service_at_locations[0].location.addresses[0].state_province, 'Wales')
  t.equal(shed.organization.description, '', 'ORUK requires an organisation description: empty when there is none')
  t.same((await byName('Old walking group')).schedules, [], 'a session that has ended is not published')

  // a service_at_location by id: the service with the schedules at that venue only
  const run = await byName('Saturday park run-walk')
  t.equal(run.service_at_locations.length, 2)
  for (const sal of run.service_at_locations) {
    const r = await app.inject(`/oruk/service_at_locations/${sal.id}`)
    t.equal(r.statusCode, 200)
    const body = r.json()
    t.equal(body.location.id, sal.location.id)
    t.equal(body.service.schedules.length, 1)
    t.equal(body.service.schedules[0].service_at_location_id, sal.id)
  }

  // not published: 404 problem with the CORS header; not a UUID: 400
  const hidden = [
    ...['Paused yoga', 'Ended dance', 'Deleted swim'].map((n) => `/oruk/services/${idOf(n)}`),
    `/oruk/services/${randomUUID()}`,
    `/oruk/service_at_locations/${salId(idOf('Old walking group'), venueIds.old)}`,
    `/oruk/service_at_locations/${salId(idOf('Paused yoga'), venueIds.rye)}`,
    `/oruk/taxonomies/${randomUUID()}`, `/oruk/taxonomy_terms/${randomUUID()}`, '/oruk/nothing-here',
  ]
  for (const url of hidden) {
    const r = await app.inject(url)
    t.equal(r.statusCode, 404, url)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.equal(r.headers['access-control-allow-origin'], '*', `${url}: CORS on errors too`)
  }
  const bad = await app.inject('/oruk/services/not-a-uuid')
  t.equal(bad.statusCode, 400)
  t.equal(bad.headers['access-control-allow-origin'], '*')
  t.same(bad.json().errors.map((e: any) => e.parameter), ['id'])
})
