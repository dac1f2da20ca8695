import t from 'tap'
import { parse } from 'csv-parse/sync'
import { build } from '../helper.ts'
import { seed, SCHEMES, VENUES } from '../formats/oruk/dataset.ts'
import { createOrganisation, createScheme, createVenue, weekly, monthly, once } from '../fixtures/api.ts'
import { HEADER } from '../../src/formats/csv/template.ts'

const csvOf = (body: string) => parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>

t.test('GET /v1/export.csv: one row per session in the template, written through the API', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app, { name: 'Peckham Walking Friends', charity_number: '1234567' })
  const venue = await createVenue(app, key, { name: 'Rye Hall', address: { line1: '1 Rye Lane', line2: 'Peckham', town: 'London', postcode: 'SE15 4AA' }, accessibility: ['step_free', 'hearing_loop'] })
  const walk = await createScheme(app, key, {
    name: 'Evening walk', description: 'Walk, then tea, "with cake", and chat.\nAll welcome.',
    categories: ['walking', 'nature_outdoors'], cost: { free: false, amount_pence: 350, per: 'session', concessions: 'Free for carers' },
    min_age: 18, contact: { phone: '+44 20 7946 0958', website: 'https://walks.example.org.uk' },
    sessions: [weekly(venue.id, { days: ['tue', 'thu'], except_dates: ['2026-12-24', '2026-12-31'] }), monthly(venue.id), once(null)],
    delivery: ['in_person', 'online'], service_area: { type: 'radius', center: { lat: 51.47, lon: -0.07 }, radius_m: 5000 },
    self_referral: false, referral: { methods: ['form', 'phone'], url: 'https://walks.example.org.uk/refer', phone: '+44 20 7946 0000',
      instructions: '=Ask for Sam', accepted_from: ['gp', 'link_worker'] },
    capacity: { status: 'places_available', places: 7 },
  })
  const empty = await createScheme(app, key, { name: '=HYPERLINK("http://evil.example")', sessions: [] })
  const other = await createOrganisation(app, { name: 'Another group' })
  await createScheme(app, other.key, { name: 'Not theirs' })

  const r = await app.inject('/v1/export.csv')
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(r.headers['content-disposition'], /attachment; filename="signpost-export\.csv"/)
  t.ok(r.body.startsWith('\uFEFF'), 'a byte order mark, so spreadsheets read UTF-8')
  const rows = csvOf(r.body)
  t.same(Object.keys(rows[0]), HEADER, 'the template columns, in order')
  t.equal(rows.length, 3 + 1 + 1, 'one row per session; a scheme without sessions has one row')
  const walkRows = rows.filter((x) => x.scheme_id === walk.id)
  t.same(walkRows.map((x) => x.frequency), ['weekly', 'monthly', 'once'], 'in session order')
  t.match(walkRows[0], {
    organisation_id: organisation.id, organisation_name: 'Peckham Walking Friends', scheme_name: 'Evening walk',
    description: 'Walk, then tea, "with cake", and chat.\nAll welcome.', status: 'active', categories: 'walking;nature_outdoors',
    delivery: 'in_person;online', cost_free: 'false', cost_amount: '3.50', cost_per: 'session', cost_concessions: 'Free for carers', min_age: '18', max_age: '',
    contact_phone: "'+44 20 7946 0958", contact_website: 'https://walks.example.org.uk',
    referral_methods: 'form;phone', referral_url: 'https://walks.example.org.uk/refer', referral_email: '', referral_phone: "'+44 20 7946 0000",
    referral_instructions: "'=Ask for Sam", referral_from: 'gp;link_worker',
    capacity_status: 'places_available', capacity_places: '7', capacity_waiting_weeks: '', capacity_updated_at: walk.capacity.updated_at,
    service_area: 'radius', service_area_lat: '51.47', service_area_lon: '-0.07', service_area_radius_m: '5000',
    venue_id: venue.id, venue_name: 'Rye Hall', venue_line1: '1 Rye Lane', venue_line2: 'Peckham', venue_town: 'London', venue_postcode: 'SE15 4AA',
    venue_lat: '51.4703', venue_lon: '-0.0686', venue_accessibility: 'step_free;hearing_loop',
    days: 'tue;thu', starts: '18:00', ends: '19:30', except_dates: '2026-12-24;2026-12-31', week_of_month: '', date: '',
  })
  t.match(walkRows[1], { days: 'wed', week_of_month: '-1' })
  t.match(walkRows[2], { venue_id: '', venue_name: '', days: '', date: '2027-06-05' })
  const e = rows.find((x) => x.scheme_id === empty.id)!
  t.equal(e.scheme_name, '\'=HYPERLINK("http://evil.example")', 'a formula is defused')
  t.same([e.referral_methods, e.referral_from, e.capacity_status, e.capacity_updated_at], ['', '', '', ''], 'no referral, no capacity: empty cells')
  t.equal(e.frequency, '')
  t.same([...new Set(rows.map((x) => x.organisation_name))], ['Another group', 'Peckham Walking Friends'], 'by organisation name')

  const mine = csvOf((await app.inject(`/v1/export.csv?organisation_id=${other.organisation.id}`)).body)
  t.same(mine.map((x) => x.scheme_name), ['Not theirs'], 'organisation_id keeps one organisation')
  for (const bad of ['organisation_id=nope', 'colour=red']) {
    const b = await app.inject(`/v1/export.csv?${bad}`)
    t.equal(b.statusCode, 400, bad)
    t.match(b.headers['content-type'], /^application\/problem\+json/)
  }
})

t.test('the export pages through every scheme exactly once, deleted ones left out', async (t) => {
  const { app, db } = await build(t)
  const { schemeIds } = await seed(db)
  // 450 more, over two batches: the keyset must not skip or repeat any (names collide on purpose)
  const [org] = await db.query("INSERT INTO organisations (name) VALUES ('Bulk') RETURNING id")
  await db.query(`INSERT INTO schemes (organisation_id, name) SELECT $1, 'Group ' || (i % 7) FROM generate_series(1, 450) i`, [org.id])
  const rows = csvOf((await app.inject('/v1/export.csv')).body)
  const ids = rows.map((x) => x.scheme_id)
  const deleted = schemeIds[SCHEMES.findIndex((s) => s.deleted)]
  const expected = SCHEMES.filter((s) => !s.deleted).reduce((n, s) => n + Math.max(1, s.sessions.length), 0) + 450
  t.equal(rows.length, expected)
  t.equal(new Set(ids).size, SCHEMES.length - 1 + 450, 'every undeleted scheme')
  t.notOk(ids.includes(deleted), 'not the deleted one')
  t.same(rows.filter((x) => x.status !== 'active').map((x) => x.scheme_name).sort(), ['Ended dance', 'Paused yoga'], 'paused and ended are exported, with their status')
})

t.test('GET /v1/venues.geojson: undeleted venues with their schemes; bbox', async (t) => {
  const { app, db } = await build(t)
  const { venueIds } = await seed(db)
  const r = await app.inject('/v1/venues.geojson')
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /^application\/geo\+json/)
  const fc = r.json()
  t.equal(fc.type, 'FeatureCollection')
  const live = VENUES.filter((v) => !v.deleted)
  t.same(fc.features.map((f: any) => f.properties.name).sort(), live.map((v) => v.name).sort(), 'every venue not deleted')
  for (const f of fc.features) {
    const v = VENUES.find((x) => x.name === f.properties.name)!
    t.same(f.geometry, { type: 'Point', coordinates: [v.lon, v.lat] }, `${v.name}: lon, lat`)
    t.equal(f.id, venueIds[v.key])
    t.equal(f.properties.accessibility, v.accessibility.join(';'))
    t.equal(f.properties.scheme_count, f.properties.schemes.length)
  }
  const rye = fc.features.find((f: any) => f.properties.name === 'Peckham Rye Park café')
  t.same(rye.properties.schemes.map((s: any) => s.name), ['Evening walk and talk', 'Saturday park run-walk', 'Winter wellbeing talk'], 'active schemes with a current session there, not the paused one')
  t.equal(rye.properties.scheme_names, 'Evening walk and talk; Saturday park run-walk; Winter wellbeing talk')
  t.equal(rye.properties.categories, 'learning;running;walking')
  t.notOk('line2' in rye.properties, 'no empty fields')

  const london = (await app.inject('/v1/venues.geojson?bbox=-0.2,51.4,0.0,51.55')).json()
  t.same(london.features.map((f: any) => f.properties.name).sort(), ['Brixton Rec', 'Camberwell Library', 'Peckham Rye Park café'])
  const edge = (await app.inject('/v1/venues.geojson?bbox=-3.172,55.971,-3.0,56')).json()
  t.same(edge.features.map((f: any) => f.properties.name), ['Leith Theatre'], 'a venue on the edge of the box is inside')
  t.same((await app.inject('/v1/venues.geojson?bbox=10,10,11,11')).json(), { type: 'FeatureCollection', features: [] })

  const bad = ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '0.1,51,-0.1,52', '0,52,1,51', '-181,0,0,1', '0,-91,1,0', '1e3,0,2,1', '', ' , , , ']
  for (const b of bad) {
    const res = await app.inject(`/v1/venues.geojson?bbox=${encodeURIComponent(b)}`)
    t.equal(res.statusCode, 400, `bbox=${b}`)
    t.same(res.json().errors.map((e: any) => e.parameter), ['bbox'])
  }
  t.equal((await app.inject('/v1/venues.geojson?zoom=3')).statusCode, 400, 'unknown parameter')
})

t.test('venues.geojson does not collide with /v1/venues/{id}', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const one = await app.inject(`/v1/venues/${venue.id}`)
  t.equal(one.statusCode, 200)
  t.equal(one.json().id, venue.id)
  const all = await app.inject('/v1/venues.geojson')
  t.equal(all.statusCode, 200)
  t.equal(all.json().features[0].id, venue.id)
  t.equal((await app.inject('/v1/venues/venues.geojson')).statusCode, 400, 'and {id} still wants a UUID')
})

t.test('docs/import.md documents every template column, and the example file uses them', async (t) => {
  const { readFileSync } = await import('node:fs')
  const doc = readFileSync(new URL('../../docs/import.md', import.meta.url), 'utf8')
  const documented = [...doc.matchAll(/^\| `([a-z_0-9]+)` \|/gm)].map((m) => m[1]).filter((c) => HEADER.includes(c as any) || /^(organisation|scheme|venue|service|cost|contact)_/.test(c))
  t.same(documented, HEADER, 'the table lists the columns in order')
  const example = csvOf(readFileSync(new URL('../../docs/import-example.csv', import.meta.url), 'utf8'))
  t.same(Object.keys(example[0]), HEADER)
  t.ok(example.length >= 5)
})
