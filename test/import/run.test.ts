import t from 'tap'
import { readFileSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import { PgDialect } from 'drizzle-orm/pg-core'
import { build } from '../helper.ts'
import type { Db } from '../../src/db/client.ts'
import { call, checksum, createOrganisation, createVenue } from '../fixtures/api.ts'
import { HEADER, type CsvRecord } from '../../src/formats/csv/template.ts'
import { readImport } from '../../src/import/read.ts'
import { runImport, type RunOptions } from '../../src/import/run.ts'

// a listing's minimum content (issue 12), for rows that are not about it
const content: CsvRecord = { description: 'A friendly group', categories: 'walking', contact_email: 'hello@example.org.uk' }
const csv = (rows: CsvRecord[]) => stringify([HEADER, ...rows.map((r) => HEADER.map((h) => r[h] ?? ''))])
const EXAMPLE = readFileSync(new URL('../../docs/import-example.csv', import.meta.url), 'utf8')
const noFallback = (t: any): RunOptions => ({ onFallback: (e) => t.fail(`fell back to one at a time: ${e}`) })

/** A scheme as GET shows it, without what differs between two copies (ids, times, venue ids → names). */
function comparable(doc: any, venueNames: Record<string, string>) {
  const { id, organisation_id, organisation, created_at, updated_at, last_verified_at, version, ...rest } = doc
  const capacity = rest.capacity && { ...rest.capacity, updated_at: undefined }
  return { ...rest, capacity, sessions: doc.sessions.map((s: any) => ({ ...s, venue_id: s.venue_id ? venueNames[s.venue_id] : null })) }
}

t.test('an imported scheme is the scheme POST /v1/schemes makes from the same fields', async (t) => {
  const { app, db } = await build(t)
  const { organisation, key } = await createOrganisation(app)
  const venue = await createVenue(app, key, { name: 'Rye Hall', address: { line1: '1 Rye Lane', line2: 'Peckham', town: 'London', postcode: 'SE15 4AA' }, location: { lat: 51.4703, lon: -0.0686 }, accessibility: ['step_free'] })
  const polygon = { type: 'Polygon', coordinates: [[[-0.2, 51.4], [0, 51.4], [0, 51.55], [-0.2, 51.55], [-0.2, 51.4]]] }
  const bodies = [
    {
      name: 'Evening walk', description: 'Walk, then tea.', categories: ['walking', 'nature_outdoors'], needs: ['loneliness'], audience: ['older_people'],
      delivery: ['in_person', 'online'], cost: { free: false, amount_pence: 350, per: 'session', concessions: 'Carers free', description: 'Pay at the door' },
      min_age: 18, max_age: 99, self_referral: true, accepting_referrals: false, group_size: 'small', languages: ['en', 'cy'],
      referral: { methods: ['form', 'email', 'self'], url: 'https://walk.example.org.uk/refer', email: 'refer@example.org.uk', instructions: 'Say who you are',
        accepted_from: ['gp', 'self'] },
      capacity: { status: 'waiting_list', waiting_weeks: 3 },
      contact: { phone: '020 7946 0958', email: 'walk@example.org.uk', website: 'https://walk.example.org.uk' }, accessibility: ['carer_free'],
      service_area: { type: 'radius', center: { lat: 51.47, lon: -0.07 }, radius_m: 5000 }, status: 'paused',
      sessions: [
        { venue_id: venue.id, frequency: 'weekly', days: ['tue', 'thu'], starts: '18:00', ends: '19:30', except_dates: ['2026-12-24'], notes: 'Bring water' },
        { venue_id: venue.id, frequency: 'fortnightly', days: ['sat'], starts: '10:00', ends: '12:00', valid_from: '2026-01-03', valid_to: '2026-12-31' },
        { venue_id: venue.id, frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00', ends: '16:00' },
        { venue_id: null, frequency: 'once', date: '2027-06-05', starts: '11:00', ends: '15:00' },
      ],
    },
    { name: 'Area helpline', description: 'Call us.', categories: ['befriending'], contact: { phone: '0800 123 4567' }, delivery: ['telephone'], service_area: { type: 'polygon', geometry: polygon }, sessions: [] },
  ]
  const viaApi = []
  for (const body of bodies) {
    const r = await call(app, 'POST', '/v1/schemes', { key, body })
    t.equal(r.statusCode, 201, `POST ${body.name}: ${r.statusCode === 201 ? 'created' : r.body}`)
    viaApi.push(r.json())
  }
  // the same through the CSV template, into the same organisation
  const s = bodies[0]
  const base: CsvRecord = {
    scheme_ref: 'walk', scheme_name: s.name, description: s.description, status: 'paused', categories: 'walking;nature_outdoors', needs: 'loneliness',
    audience: 'older_people', delivery: 'in_person;online', cost_free: 'false', cost_amount: '3.50', cost_per: 'session', cost_concessions: 'Carers free',
    cost_description: 'Pay at the door', min_age: '18', max_age: '99', self_referral: 'yes', accepting_referrals: 'no', group_size: 'small', languages: 'en;cy',
    referral_methods: 'form;email;self', referral_url: 'https://walk.example.org.uk/refer', referral_email: 'refer@example.org.uk',
    referral_instructions: 'Say who you are', referral_from: 'gp;self', capacity_status: 'waiting_list', capacity_waiting_weeks: '3',
    capacity_updated_at: '2020-01-01T00:00:00.000Z',
    contact_phone: '020 7946 0958', contact_email: 'walk@example.org.uk', contact_website: 'https://walk.example.org.uk', accessibility: 'carer_free',
    service_area: 'radius', service_area_lat: '51.47', service_area_lon: '-0.07', service_area_radius_m: '5000',
  }
  const rows: CsvRecord[] = [
    { ...base, venue_id: venue.id, frequency: 'weekly', days: 'tue;thu', starts: '18:00', ends: '19:30', except_dates: '2026-12-24', notes: 'Bring water' },
    { ...base, venue_id: venue.id, frequency: 'fortnightly', days: 'sat', starts: '10:00', ends: '12:00', valid_from: '2026-01-03', valid_to: '2026-12-31' },
    { ...base, venue_id: venue.id, frequency: 'monthly', days: 'wed', week_of_month: '-1', starts: '14:00', ends: '16:00' },
    { ...base, frequency: 'once', date: '2027-06-05', starts: '11:00', ends: '15:00' },
    { scheme_ref: 'helpline', scheme_name: 'Area helpline', description: 'Call us.', categories: 'befriending', contact_phone: '0800 123 4567', delivery: 'telephone', service_area: 'polygon', service_area_geojson: JSON.stringify(polygon) },
  ]
  const result = await runImport(db, readImport(csv(rows), 'x.csv', { organisationId: organisation.id }).units, noFallback(t))
  t.same(result.problems, [])
  t.match(result.schemes, { created: 2, rejected: 0 })
  const imported = await db.query("SELECT id FROM schemes WHERE source_id IS NOT NULL ORDER BY source_id DESC")
  const names = { [venue.id]: 'Rye Hall' }
  for (const [i, row] of imported.entries()) {
    const doc = (await call(app, 'GET', `/v1/schemes/${row.id}`)).json()
    t.same(comparable(doc, names), comparable(viaApi[i], names), `${doc.name}: the same document`)
    if (doc.capacity) t.not(doc.capacity.updated_at, '2020-01-01T00:00:00.000Z', 'capacity_updated_at is the server\'s: an import does not read it')
    const history = (await call(app, 'GET', `/v1/schemes/${row.id}/history`)).json()
    t.match(history.items, [{ version: 1, action: 'create', actor: { key_id: null, role: null }, scheme: { name: doc.name } }])
  }
})

t.test('importing again changes nothing; an edited file updates what changed; a dry run writes nothing', async (t) => {
  const { app, db } = await build(t)
  const first = await runImport(db, readImport(EXAMPLE, 'example.csv').units, noFallback(t))
  t.match(first, { schemes: { created: 3, updated: 0, unchanged: 0, rejected: 0 }, venues: { created: 2 }, organisations: { created: 1 }, problems: [] })
  const again = await runImport(db, readImport(EXAMPLE, 'example.csv').units, noFallback(t))
  t.match(again, { schemes: { created: 0, updated: 0, unchanged: 3, rejected: 0 }, venues: { created: 0, updated: 0, unchanged: 2 }, organisations: { created: 0, unchanged: 1 } })
  const [counts] = await db.query('SELECT (SELECT count(*) FROM schemes) AS s, (SELECT count(*) FROM venues) AS v, (SELECT count(*) FROM sessions) AS ss, (SELECT max(version) FROM schemes) AS version')
  t.same(counts, { s: 3, v: 2, ss: 4, version: 1 }, 'no duplicates, no new versions')

  const edited = EXAMPLE.replace('weekly,tue;thu,,,18:00,19:30', 'weekly,tue;thu,,,18:30,20:00')
  t.not(edited, EXAMPLE)
  const before = await checksum(app)
  const dry = await runImport(db, readImport(edited, 'edited.csv').units, { dryRun: true, ...noFallback(t) })
  t.match(dry.schemes, { updated: 1, unchanged: 2 }, 'a dry run says what would change')
  t.equal(await checksum(app), before, 'and changes nothing')
  const update = await runImport(db, readImport(edited, 'edited.csv').units, noFallback(t))
  t.match(update.schemes, { created: 0, updated: 1, unchanged: 2 })
  const [walk] = await db.query("SELECT id, version FROM schemes WHERE source_id = 'walk-1'")
  t.equal(walk.version, 2)
  const doc = (await call(app, 'GET', `/v1/schemes/${walk.id}`)).json()
  t.match(doc.sessions[0], { starts: '18:30', ends: '20:00' })
  const history = (await call(app, 'GET', `/v1/schemes/${walk.id}/history`)).json()
  t.same(history.items.map((h: any) => h.action), ['update', 'create'])

  // a file without a column leaves that field alone
  const slim = stringify([['organisation_ref', 'organisation_name', 'scheme_ref', 'scheme_name', 'min_age'], ['RWF', 'Rye Walking Friends', 'books-1', 'Library book club', '18']])
  const partial = await runImport(db, readImport(slim, 'slim.csv').units, noFallback(t))
  t.match(partial.schemes, { updated: 1 })
  const club = (await db.query("SELECT min_age, cost_amount_pence, (SELECT count(*) FROM sessions WHERE scheme_id = schemes.id) AS n FROM schemes WHERE source_id = 'books-1'"))[0]
  t.same(club, { min_age: 18, cost_amount_pence: 250, n: 2 }, 'sessions and cost kept')
})

t.test('bad rows are reported by row and column and not loaded; the rest are', async (t) => {
  const { app, db } = await build(t)
  const org = { organisation_ref: 'O1', organisation_name: 'Org one' }
  const venue = { venue_ref: 'hall', venue_name: 'Hall', venue_line1: '1 Lane', venue_town: 'London', venue_postcode: 'SE15 4AA', venue_lat: '51.47', venue_lon: '-0.07' }
  const rows: CsvRecord[] = [
    { ...content, ...org, scheme_ref: 'ok', scheme_name: 'Good', categories: 'walking', ...venue, frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_ref: 'cat', scheme_name: 'Bad category', categories: 'walking;flying', ...venue, frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_ref: 'times', scheme_name: 'Bad times', ...venue, frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_ref: 'times', scheme_name: 'Bad times', ...venue, frequency: 'weekly', days: 'tue', starts: '12:00', ends: '09:00' },
    { ...content, ...org, scheme_ref: 'cost', scheme_name: 'Bad cost', cost_free: 'false', cost_amount: 'three pounds' },
    { ...content, ...org, scheme_ref: 'far', scheme_name: 'Far away', venue_ref: 'moon', venue_name: 'Moon', venue_line1: 'Crater', venue_town: 'Sea', venue_postcode: 'SE15 4AA', venue_lat: '100', venue_lon: '101', frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_name: 'No ref' },
    { ...content, ...org, scheme_ref: 'fort', scheme_name: 'Fortnightly without anchor', ...venue, frequency: 'fortnightly', days: 'sat', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_ref: 'pc', scheme_name: 'Unplaceable', venue_ref: 'bt', venue_name: 'Belfast', venue_line1: '1 Road', venue_town: 'Belfast', venue_postcode: 'BT1 1AA', frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, ...org, scheme_ref: 'remote', scheme_name: 'Remote without area', delivery: 'online', frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
  ]
  const before = await checksum(app)
  const result = await runImport(db, readImport(csv(rows), 'bad.csv').units, noFallback(t))
  t.match(result.schemes, { created: 1, rejected: 8 })
  const errors = result.problems.filter((p) => p.level === 'error').map((p) => `${p.row} ${p.field}`)
  t.same(errors.sort(), [
    '10 venue_postcode', '11 service_area', '3 categories', '5 ends', '6 cost_amount', '7 venue_lat', '7 venue_lon', '8 scheme_ref', '9 valid_from',
  ].sort(), 'each bad row names its column')
  t.match(result.problems.find((p) => p.field === 'categories'), { row: 3, message: /must be one of: .*walking/ })
  t.match(result.problems.find((p) => p.field === 'venue_postcode'), { row: 10, message: /Northern Ireland/ })
  const names = (await db.query('SELECT name FROM schemes')).map((r: any) => r.name)
  t.same(names, ['Good'], 'only the good scheme is loaded')
  const venues = (await db.query('SELECT name FROM venues ORDER BY name')).map((r: any) => r.name)
  t.same(venues, ['Hall'], 'no venue of a rejected row without a good one')
  t.not(await checksum(app), before)
})

/** The real database, with one statement made to fail once (a fault, as a lost connection would be). */
function failingOnce(db: Db, pattern: RegExp): Db {
  let failed = false
  const wrap = (d: Db): Db => ({
    ...d,
    kind: d.kind,
    async query(statement: any, params?: unknown[]) {
      const text = typeof statement === 'string' ? statement : new PgDialect().sqlToQuery(statement).sql
      if (!failed && pattern.test(text)) { failed = true; throw new Error('injected fault') }
      return d.query(statement, params)
    },
    exec: (text: string) => d.exec(text),
    transaction: (fn: any) => d.transaction((tx) => fn(wrap(tx))),
    get reader() { return wrap(d.reader) },
    close: () => d.close(),
  })
  return wrap(db)
}

t.test('a batch the set-wise writer cannot take is loaded one scheme at a time', async (t) => {
  const { db } = await build(t)
  const rows: CsvRecord[] = [
    { ...content, organisation_ref: 'O', organisation_name: 'Org', scheme_ref: 'a', scheme_name: 'A', venue_ref: 'h', venue_name: 'Hall', venue_line1: '1 Lane', venue_town: 'London', venue_postcode: 'SE15 4AA', frequency: 'weekly', days: 'mon', starts: '10:00', ends: '11:00' },
    { ...content, organisation_ref: 'O', organisation_name: 'Org', scheme_ref: 'b', scheme_name: 'B', categories: 'flying' },
    { ...content, organisation_ref: 'O', organisation_name: 'Org', scheme_ref: 'c', scheme_name: 'C', venue_ref: 'h', frequency: 'once', date: '2027-01-01', starts: '10:00', ends: '11:00' },
  ]
  const falls: unknown[] = []
  const r = await runImport(failingOnce(db, /^\s*INSERT INTO schemes/), readImport(csv(rows), 'x.csv').units, { onFallback: (e) => falls.push(e) })
  t.equal(falls.length, 1, 'the set-wise write failed once')
  t.match(r.schemes, { created: 2, rejected: 1 }, 'and the batch was loaded one scheme at a time')
  t.match(r.venues, { created: 1 })
  t.match(r.problems, [{ row: 3, field: 'categories', level: 'error' }], 'reported once, not twice')
  t.equal(r.problems.length, 1)
  const rowsNow = await db.query('SELECT s.name, (SELECT count(*) FROM sessions WHERE scheme_id = s.id) AS n FROM schemes s ORDER BY s.name')
  t.same(rowsNow, [{ name: 'A', n: 1 }, { name: 'C', n: 1 }])
  const [v] = await db.query('SELECT count(*) AS n FROM venues')
  t.equal(v.n, 1, 'the venue once: the failed attempt left nothing behind')
})
