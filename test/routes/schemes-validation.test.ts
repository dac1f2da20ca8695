import t from 'tap'
import { build } from '../helper.ts'
import { call, checksum, createOrganisation, createScheme, createVenue, fortnightly, monthly, once, schemeBody, weekly } from '../fixtures/api.ts'

/**
 * One invalid body per rule of SPEC §2/§4 and issue 3: each must be refused with its status
 * and JSON Pointer, and leave every table as it was.
 */
t.test('invalid scheme bodies: one per rule, each refused with its pointer, nothing written', async (t) => {
  const { app } = await build(t)
  const { key, admin } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const foreign = await createVenue(app, other.key)
  const gone = await createVenue(app, key)
  t.equal((await call(app, 'DELETE', `/v1/venues/${gone.id}`, { key, headers: { 'if-match': '"1"' } })).statusCode, 204)
  const v = venue.id
  const base = schemeBody({ sessions: [weekly(v)] })
  const remote = { delivery: ['online'], service_area: { type: 'national' } }
  const polygon = (coordinates: unknown) => ({ ...remote, service_area: { type: 'polygon', geometry: { type: 'Polygon', coordinates } } })

  // [rule, body, pointer, message pattern]
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    // sessions
    ['ends after starts', { sessions: [weekly(v, { starts: '19:00', ends: '18:30' })] }, '/sessions/0/ends', /after starts/],
    ['days required for weekly', { sessions: [weekly(v, { days: undefined })] }, '/sessions/0/days', /required for a weekly/],
    ['days required for fortnightly', { sessions: [fortnightly(v, { days: undefined })] }, '/sessions/0/days', /required for a fortnightly/],
    ['days required for monthly', { sessions: [monthly(v, { days: undefined })] }, '/sessions/0/days', /required for a monthly/],
    ['days not empty', { sessions: [weekly(v, { days: [] })] }, '/sessions/0/days', /at least one/],
    ['days absent for once', { sessions: [once(v, { days: ['sat'] })] }, '/sessions/0/days', /absent for a once/],
    ['days are weekday codes', { sessions: [weekly(v, { days: ['monday'] })] }, '/sessions/0/days/0', /must be one of: mon, tue/],
    ['week_of_month only for monthly', { sessions: [weekly(v, { week_of_month: 1 })] }, '/sessions/0/week_of_month', /only for monthly/],
    ['week_of_month required for monthly', { sessions: [monthly(v, { week_of_month: undefined })] }, '/sessions/0/week_of_month', /required for a monthly/],
    ['week_of_month 1–5 or -1', { sessions: [monthly(v, { week_of_month: 0 })] }, '/sessions/0/week_of_month', /must be one of: 1, 2, 3, 4, 5, -1/],
    ['date required for once', { sessions: [once(v, { date: undefined })] }, '/sessions/0/date', /required for a once/],
    ['date only for once', { sessions: [weekly(v, { date: '2027-01-01' })] }, '/sessions/0/date', /only for once/],
    ['fortnightly needs valid_from', { sessions: [fortnightly(v, { valid_from: undefined })] }, '/sessions/0/valid_from', /required for a fortnightly/],
    ['valid_from ≤ valid_to', { sessions: [weekly(v, { valid_from: '2026-06-01', valid_to: '2026-05-31' })] }, '/sessions/0/valid_to', /on or after valid_from/],
    ['frequency from the vocabulary', { sessions: [weekly(v, { frequency: 'daily' })] }, '/sessions/0/frequency', /must be one of: weekly, fortnightly, monthly, once/],
    ['times are HH:MM', { sessions: [weekly(v, { starts: '6pm' })] }, '/sessions/0/starts', /HH:MM/],
    ['no 24:00', { sessions: [weekly(v, { ends: '24:00' })] }, '/sessions/0/ends', /HH:MM/],
    ['dates are real dates', { sessions: [weekly(v, { except_dates: ['2026-02-29'] })] }, '/sessions/0/except_dates/0', /YYYY-MM-DD/],
    ['dates PostgreSQL can hold', { sessions: [weekly(v, { valid_from: '0000-01-01' })] }, '/sessions/0/valid_from', /1900-01-01 to 2999-12-31/],
    ['notes up to 500', { sessions: [weekly(v, { notes: 'x'.repeat(501) })] }, '/sessions/0/notes', /at most 500/],
    ['unknown session field', { sessions: [weekly(v, { room: 'B' })] }, '/sessions/0/room', /unknown field/],
    ['venue of the same organisation', { sessions: [weekly(foreign.id)] }, '/sessions/0/venue_id', /another organisation/],
    ['venue that exists', { sessions: [weekly('6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f')] }, '/sessions/0/venue_id', /not the id of a venue/],
    ['venue not deleted', { sessions: [weekly(gone.id)] }, '/sessions/0/venue_id', /deleted venue/],
    ['venue_id a UUID', { sessions: [weekly('hall-1')] }, '/sessions/0/venue_id', /UUID/],
    ['a venue session needs in_person', { ...remote, sessions: [weekly(v)] }, '/sessions/0/venue_id', /must include in_person/],
    ['a remote session needs a remote mode', { sessions: [weekly(null)] }, '/sessions/0/venue_id', /online, telephone, home_visit or text_chat/],
    // delivery and service area
    ['remote modes need a service_area', { delivery: ['in_person', 'home_visit'] }, '/service_area', /required when delivery includes home_visit/],
    ['delivery from the vocabulary', { delivery: ['post'] }, '/delivery/0', /must be one of: in_person, online, telephone, home_visit/],
    ['delivery not empty', { delivery: [] }, '/delivery', /must list at least one/],
    ['polygon valid (no self-crossing)', { ...polygon([[[0, 51], [1, 52], [1, 51], [0, 52], [0, 51]]]), sessions: [] }, '/service_area/geometry', /not a valid polygon: Self-intersection/],
    ['polygon rings closed', { ...polygon([[[0, 51], [1, 51], [1, 52], [0, 52]]]), sessions: [] }, '/service_area/geometry/coordinates/0', /closed/],
    ['polygon positions [lon, lat]', { ...polygon([[[0, 51], [1, 51], ['x', 52], [0, 51]]]), sessions: [] }, '/service_area/geometry/coordinates/0/2', /two numbers/],
    ['polygon a GeoJSON Polygon or MultiPolygon', { ...remote, sessions: [], service_area: { type: 'polygon', geometry: { type: 'Point', coordinates: [0, 51] } } }, '/service_area/geometry/type', /Polygon, MultiPolygon/],
    ['radius needs a center', { ...remote, sessions: [], service_area: { type: 'radius', radius_m: 5000 } }, '/service_area/center', /required for a radius/],
    ['radius center inside the UK', { ...remote, sessions: [], service_area: { type: 'radius', center: { lat: 48.8, lon: 2.35 }, radius_m: 5000 } }, '/service_area/center/lat', /at least 49.8/],
    ['radius_m in range', { ...remote, sessions: [], service_area: { type: 'radius', center: { lat: 51.5, lon: -0.1 }, radius_m: 5 } }, '/service_area/radius_m', /at least 100/],
    ['service area type known', { ...remote, sessions: [], service_area: { type: 'county' } }, '/service_area/type', /must be one of: national, radius, polygon/],
    // cost, ages, contact
    ['amount ≥ 0', { cost: { free: false, amount_pence: -50 } }, '/cost/amount_pence', /at least 0/],
    ['amount whole pence', { cost: { free: false, amount_pence: 2.5 } }, '/cost/amount_pence', /integer/],
    ['amount absent when free', { cost: { free: true, amount_pence: 300 } }, '/cost/amount_pence', /absent when free/],
    ['cost says whether it is free', { cost: { amount_pence: 300 } }, '/cost/free', /required/],
    ['cost per from the vocabulary', { cost: { free: false, amount_pence: 300, per: 'visit' } }, '/cost/per', /must be one of: session, week/],
    ['min_age ≥ 0', { min_age: -1 }, '/min_age', /at least 0/],
    ['max_age ≤ 120', { max_age: 121 }, '/max_age', /at most 120/],
    ['min_age ≤ max_age', { min_age: 65, max_age: 50 }, '/max_age', /at least min_age/],
    ['contact e-mail', { contact: { email: 'walks at example' } }, '/contact/email', /e-mail/],
    ['contact website http(s)', { contact: { website: 'javascript:alert(1)' } }, '/contact/website', /http/],
    ['contact phone UK', { contact: { phone: '+1 202 555 0100' } }, '/contact/phone', /UK phone/],
    // vocabularies and strings
    ['categories from the vocabulary', { categories: ['knitting'] }, '/categories/0', /must be one of: walking, running/],
    ['needs from the vocabulary', { needs: ['boredom'] }, '/needs/0', /must be one of: loneliness/],
    ['audience from the vocabulary', { audience: ['everyone'] }, '/audience/0', /must be one of: older_people/],
    ['accessibility from the vocabulary', { accessibility: ['lift'] }, '/accessibility/0', /must be one of: step_free/],
    ['group_size from the vocabulary', { group_size: 'huge' }, '/group_size', /must be one of: one_to_one/],
    ['status from the vocabulary', { status: 'closed' }, '/status', /must be one of: active, paused, ended/],
    ['languages ISO 639-1 or bsl', { languages: ['english'] }, '/languages/0', /ISO 639-1/],
    ['no code twice', { categories: ['walking', 'walking'] }, '/categories', /same value twice/],
    ['name required', { name: undefined }, '/name', /required/],
    ['name not blank', { name: '  ' }, '/name', /blank/],
    ['name up to 200', { name: 'x'.repeat(201) }, '/name', /at most 200/],
    ['description up to 5000', { description: 'x'.repeat(5001) }, '/description', /at most 5000/],
    ['other strings up to 500', { cost: { free: true, concessions: 'x'.repeat(501) } }, '/cost/concessions', /at most 500/],
    ['booleans are booleans', { self_referral: 'yes' }, '/self_referral', /boolean/],
    ['no NUL characters', { description: 'a\u0000b' }, '/description', /NUL/],
    ['unknown fields refused', { colour: 'green' }, '/colour', /unknown field/],
    // read-only fields
    ...(['id', 'version', 'created_at', 'updated_at', 'last_verified_at', 'stale', 'organisation'] as const).map((f) =>
      [`${f} is read-only`, { [f]: f === 'version' ? 1 : f === 'stale' ? false : 'x' }, `/${f}`, /read-only/] as [string, Record<string, unknown>, string, RegExp]),
    ['organisation_id is read-only for a publisher', { organisation_id: other.organisation.id }, '/organisation_id', /read-only for a publisher/],
  ]

  for (const [rule, change, pointer, message] of cases) {
    const body: Record<string, unknown> = { ...base, ...change }
    for (const k of Object.keys(change)) if (change[k] === undefined) delete body[k]
    const before = await checksum(app)
    const r = await call(app, 'POST', '/v1/schemes', { key, body })
    t.equal(r.statusCode, 400, `${rule}: 400`)
    const errors = r.json().errors ?? []
    const hit = errors.find((e: any) => e.pointer === pointer)
    t.ok(hit, `${rule}: names ${pointer}`, { errors })
    t.match(hit?.message, message, `${rule}: says why`)
    t.equal(await checksum(app), before, `${rule}: nothing written`)
  }

  const adminNoOrg = await call(app, 'POST', '/v1/schemes', { key: admin, body: base })
  t.match(adminNoOrg.json().errors, [{ pointer: '/organisation_id' }], 'an admin must name the organisation')
})

t.test('every bad field is named in one answer, shape and rules together', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const foreign = await createVenue(app, other.key)
  const r = await call(app, 'POST', '/v1/schemes', {
    key, body: {
      name: '', description: 'A walk', categories: ['knitting'], delivery: ['in_person'], contact: { phone: '020 7946 0958' }, min_age: 70, max_age: 60, cost: { free: true, amount_pence: 100 }, zzz: 1,
      sessions: [weekly(foreign.id, { ends: '17:00' }), monthly(null, { week_of_month: undefined }), { frequency: 'once', starts: '10:00', ends: '25:00' }],
    },
  })
  t.equal(r.statusCode, 400)
  t.same(r.json().errors.map((e: any) => e.pointer).sort(), [
    '/categories/0', '/cost/amount_pence', '/max_age', '/name', '/sessions/0/ends', '/sessions/0/venue_id',
    '/sessions/1/venue_id', '/sessions/1/week_of_month', '/sessions/2/date', '/sessions/2/ends', '/sessions/2/venue_id', '/zzz',
  ])
  t.match(r.json().detail, /^Check /)
})

t.test('PUT and PATCH apply the same rules to the whole document; nothing is written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const s = await createScheme(app, key, { sessions: [weekly(v.id)] })
  const url = `/v1/schemes/${s.id}`
  const before = await checksum(app)
  const put = await call(app, 'PUT', url, { key, body: schemeBody({ name: 'x', sessions: [monthly(v.id, { week_of_month: undefined })] }), headers: { 'if-match': '"1"' } })
  t.equal(put.statusCode, 400)
  t.same(put.json().errors.map((e: any) => e.pointer), ['/sessions/0/week_of_month'])
  const patch = await call(app, 'PATCH', url, { key, body: { delivery: ['online'] }, headers: { 'if-match': '"1"' } })
  t.equal(patch.statusCode, 400)
  t.same(patch.json().errors.map((e: any) => e.pointer).sort(), ['/service_area', '/sessions/0/venue_id'], 'the merged document is checked: the existing venue session now clashes')
  for (const body of [[], 'text', 5, null]) {
    const r = await call(app, 'PATCH', url, { key, body: JSON.stringify(body), headers: { 'if-match': '"1"' } })
    t.equal(r.statusCode, 400, `a merge patch of ${JSON.stringify(body)}`)
  }
  const publisherOrg = await call(app, 'PATCH', url, { key, body: { organisation_id: s.organisation_id }, headers: { 'if-match': '"1"' } })
  t.match(publisherOrg.json().errors, [{ pointer: '/organisation_id', message: /read-only/ }])
  t.equal(await checksum(app), before, 'nothing written')
  t.equal((await call(app, 'PUT', url, { key, headers: { 'if-match': '"1"', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }) })).statusCode, 413, 'a body over 1 MiB')
  t.equal((await call(app, 'PUT', url, { key, headers: { 'if-match': '"1"', 'content-type': 'text/csv' }, body: 'a,b' })).statusCode, 415)
  t.equal((await call(app, 'PATCH', url, { key, headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' }, body: '{"name": ' })).statusCode, 400, 'broken JSON')
  t.equal(await checksum(app), before)
})

t.test('an admin may send organisation_id on PUT unchanged, but not move a scheme', async (t) => {
  const { app } = await build(t)
  const { key, admin } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const s = await createScheme(app, key, { sessions: [] })
  const url = `/v1/schemes/${s.id}`
  const move = await call(app, 'PUT', url, { key: admin, body: schemeBody({ organisation_id: other.organisation.id, name: 'Moved' }), headers: { 'if-match': '"1"' } })
  t.match(move.json().errors, [{ pointer: '/organisation_id', message: /cannot change/ }])
  const same = await call(app, 'PUT', url, { key: admin, body: schemeBody({ organisation_id: s.organisation_id, name: 'Kept' }), headers: { 'if-match': '"1"' } })
  t.equal(same.statusCode, 200)
})

t.test('a listing\'s minimum content: POST, PUT and the document a PATCH makes need it; nothing is written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const s = await createScheme(app, key, { sessions: [weekly(v.id)] })
  const url = `/v1/schemes/${s.id}`
  const before = await checksum(app)
  const required = ['/categories', '/contact', '/delivery', '/description']

  const put = await call(app, 'PUT', url, { key, body: { name: 'Only a name' }, headers: { 'if-match': '"1"' } })
  t.equal(put.statusCode, 400, 'a PUT of a name alone')
  t.same(put.json().errors.map((e: any) => e.pointer).sort(), required, 'names every missing field')
  t.ok(put.json().errors.every((e: any) => /is required/.test(e.message)))

  const post = await call(app, 'POST', '/v1/schemes', { key, body: { name: 'Only a name', sessions: [weekly(v.id)] } })
  t.equal(post.statusCode, 400, 'a POST of a name and a session')
  t.same(post.json().errors.map((e: any) => e.pointer).sort(), required)

  const empty = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ description: ' ', categories: [], contact: {}, sessions: [weekly(v.id)] }) })
  t.same(empty.json().errors.map((e: any) => [e.pointer, e.message]).sort(), [
    ['/categories', 'must list at least one'],
    ['/contact', 'must give at least one way to get in touch or refer: phone, email, website or text'],
    ['/description', 'must not be blank (white space or invisible characters only)'],
  ], 'empty values are refused too')

  const patch = await call(app, 'PATCH', url, { key, body: { description: null, contact: { email: null } }, headers: { 'if-match': '"1"' } })
  t.equal(patch.statusCode, 400, 'a PATCH that removes them')
  t.same(patch.json().errors.map((e: any) => e.pointer).sort(), ['/contact', '/description'])
  t.equal(await checksum(app), before, 'nothing written')

  const ok = await call(app, 'PATCH', url, { key, body: { contact: { email: null, website: 'https://example.org.uk' } }, headers: { 'if-match': '"1"' } })
  t.equal(ok.statusCode, 200, 'one way to get in touch is enough')
  t.same(ok.json().contact, { website: 'https://example.org.uk' })
})
