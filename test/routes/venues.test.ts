import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import {
  actors, call, checksum, contentTypes, createOrganisation, createScheme, createVenue, fuzzWrites, headerJunk,
  mutatedBody, once, payloadOf, schemeBody, venueBody, weekly,
} from '../fixtures/api.ts'

const address = (postcode: string) => ({ line1: '1 Rye Lane', town: 'London', postcode })

t.test('a publisher adds a venue to its own organisation; GET shows it with its ETag', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app)
  const body = { name: 'Peckham Library', address: { line1: '122 Peckham Hill Street', line2: 'Ground floor', town: 'London', postcode: 'SE15 5JR' }, location: { lat: 51.4739, lon: -0.0693 }, accessibility: ['step_free', 'hearing_loop'] }
  const r = await call(app, 'POST', '/v1/venues', { key, body })
  t.equal(r.statusCode, 201)
  const doc = r.json()
  t.same(doc, { ...body, id: doc.id, organisation_id: organisation.id, version: 1, created_at: doc.created_at, updated_at: doc.updated_at })
  t.equal(r.headers.location, `/v1/venues/${doc.id}`)
  t.equal(r.headers.etag, '"1"')
  const g = await call(app, 'GET', `/v1/venues/${doc.id}`)
  t.same(g.json(), doc)
  t.equal(g.headers.etag, '"1"')
  t.equal((await call(app, 'GET', '/v1/venues/6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f')).statusCode, 404)
  t.equal((await call(app, 'GET', '/v1/venues/nope')).statusCode, 400)
})

t.test('without a location the venue is placed at its postcode; the postcode is stored normalised', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const full = await createVenue(app, key, { location: undefined, address: address('se154aa') })
  t.equal(full.address.postcode, 'SE15 4AA')
  t.same(full.location, { lat: 51.46744, lon: -0.07386 }, 'the OS Code-Point Open centroid of SE15 4AA')
  const sector = await createVenue(app, key, { location: undefined, address: address('SE15 9ZZ') })
  t.ok(Math.abs(sector.location.lat - 51.47) < 0.05 && Math.abs(sector.location.lon + 0.07) < 0.05, 'an unknown full postcode falls back to its sector')
  const given = await createVenue(app, key, { address: address(' sw1a1aa '), location: { lat: 51.501, lon: -0.1416 } })
  t.equal(given.address.postcode, 'SW1A 1AA', 'normalised when a location is given too')
  t.same(given.location, { lat: 51.501, lon: -0.1416 })
})

t.test('a postcode that cannot be placed is a 422 naming it; a malformed one a 400', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const before = await checksum(app)
  const cases: Array<[string, number, RegExp]> = [
    ['BT1 1AA', 422, /Northern Ireland/],
    ['JE2 3AB', 422, /Channel Islands/],
    ['SW99 1AA', 422, /not found/],
    ['SE15', 400, /full UK postcode/],
    ['hello', 400, /full UK postcode/],
  ]
  for (const [postcode, status, message] of cases) {
    const r = await call(app, 'POST', '/v1/venues', { key, body: { name: 'Hall', address: address(postcode) } })
    t.equal(r.statusCode, status, postcode)
    t.match(r.headers['content-type'], /problem\+json/)
    t.match(r.json().errors, [{ pointer: '/address/postcode', message }], postcode)
  }
  t.equal(await checksum(app), before, 'nothing written')
  const ni = await call(app, 'POST', '/v1/venues', { key, body: { name: 'Belfast Hall', address: address('BT1 1AA'), location: { lat: 54.597, lon: -5.93 } } })
  t.equal(ni.statusCode, 201, 'with a location, a Northern Ireland venue is fine')
})

t.test('an admin names the organisation; a publisher may not', async (t) => {
  const { app } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const r = await call(app, 'POST', '/v1/venues', { key: admin, body: venueBody({ organisation_id: organisation.id }) })
  t.equal(r.statusCode, 201)
  t.equal(r.json().organisation_id, organisation.id)
  const missing = await call(app, 'POST', '/v1/venues', { key: admin, body: venueBody() })
  t.same(missing.json().errors.map((e: any) => e.pointer), ['/organisation_id'])
  const unknown = await call(app, 'POST', '/v1/venues', { key: admin, body: venueBody({ organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }) })
  t.match(unknown.json().errors, [{ pointer: '/organisation_id', message: /not the id of an organisation/ }])
  const pub = await call(app, 'POST', '/v1/venues', { key, body: venueBody({ organisation_id: other.organisation.id }) })
  t.equal(pub.statusCode, 400)
  t.match(pub.json().errors, [{ pointer: '/organisation_id', message: /read-only for a publisher/ }])
  const own = await call(app, 'POST', '/v1/venues', { key, body: venueBody({ organisation_id: organisation.id }) })
  t.equal(own.statusCode, 201, 'a publisher may name its own organisation (the documented examples do)')
})

t.test('the list: not deleted, one organisation or all, paged by name', async (t) => {
  const { app } = await build(t)
  const a = await createOrganisation(app)
  const b = await createOrganisation(app)
  for (const name of ['Church Hall', 'ARTS centre', 'Library', 'boxing club']) await createVenue(app, a.key, { name })
  const gone = await createVenue(app, a.key, { name: 'Aardvark House' })
  t.equal((await call(app, 'DELETE', `/v1/venues/${gone.id}`, { key: a.key, headers: { 'if-match': '"1"' } })).statusCode, 204)
  await createVenue(app, b.key, { name: 'Other' })
  const names: string[] = []
  let cursor: string | null = null
  do {
    const r = await call(app, 'GET', `/v1/venues?organisation_id=${a.organisation.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
    t.equal(r.statusCode, 200)
    names.push(...r.json().items.map((v: any) => v.name))
    cursor = r.json().next_cursor
  } while (cursor)
  t.same(names, ['ARTS centre', 'boxing club', 'Church Hall', 'Library'], 'by lower(name); the deleted one left out')
  t.equal((await call(app, 'GET', '/v1/venues')).json().items.length, 5, 'all organisations')
  t.equal((await call(app, 'GET', '/v1/venues?organisation_id=x')).statusCode, 400)
})

t.test('PATCH: merge patch with If-Match; a new postcode places the venue again', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const url = `/v1/venues/${v.id}`
  let r = await call(app, 'PATCH', url, { key, body: { accessibility: ['step_free', 'quiet_space'], address: { line2: 'Back door' } }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' } })
  t.equal(r.statusCode, 200)
  t.equal(r.headers.etag, '"2"')
  t.same(r.json().address, { ...v.address, line2: 'Back door' }, 'nested objects merge')
  t.same(r.json().location, v.location, 'location kept when the postcode is not changed')
  r = await call(app, 'PATCH', url, { key, body: { address: { postcode: 'm11ae' } }, headers: { 'if-match': '"2"' } })
  t.equal(r.statusCode, 200)
  t.equal(r.json().address.postcode, 'M1 1AE')
  t.same(r.json().location, { lat: 53.48347, lon: -2.23118 }, 'placed at the new postcode')
  r = await call(app, 'PATCH', url, { key, body: { location: { lat: 53.5, lon: -2.2 } }, headers: { 'if-match': '"3"' } })
  t.same(r.json().location, { lat: 53.5, lon: -2.2 })
  r = await call(app, 'PATCH', url, { key, body: { location: null }, headers: { 'if-match': '"4"' } })
  t.same(r.json().location, { lat: 53.48347, lon: -2.23118 }, 'location: null places it at its postcode again')
  t.equal(r.json().version, 5)

  const before = await checksum(app)
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' } })).statusCode, 428)
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' }, headers: { 'if-match': '"4"' } })).statusCode, 412)
  const ni = await call(app, 'PATCH', url, { key, body: { address: { postcode: 'BT1 1AA' } }, headers: { 'if-match': '"5"' } })
  t.equal(ni.statusCode, 422)
  const ro = await call(app, 'PATCH', url, { key, body: { organisation_id: v.organisation_id, id: v.id, name: '' }, headers: { 'if-match': '"5"' } })
  t.same(ro.json().errors.map((e: any) => e.pointer).sort(), ['/id', '/name', '/organisation_id'])
  t.equal(await checksum(app), before, 'nothing written by the refused patches')
})

t.test('DELETE: 409 naming the schemes while a current session meets there; then soft, 204, 410', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const url = `/v1/venues/${v.id}`
  const s1 = await createScheme(app, key, { name: 'Tuesday Walk', sessions: [weekly(v.id)] })
  const s2 = await createScheme(app, key, { name: 'Summer Fair', sessions: [once(v.id, { date: '2099-07-01' })] })
  await createScheme(app, key, { name: 'Old Course', sessions: [weekly(v.id, { valid_to: '2020-01-01' }), once(v.id, { date: '2020-05-01' })] })
  const gone = await createScheme(app, key, { name: 'Deleted Group', sessions: [weekly(v.id)] })
  t.equal((await call(app, 'DELETE', `/v1/schemes/${gone.id}`, { key, headers: { 'if-match': '"1"' } })).statusCode, 204)

  const before = await checksum(app)
  const r = await call(app, 'DELETE', url, { key, headers: { 'if-match': '"1"' } })
  t.equal(r.statusCode, 409)
  t.match(r.headers['content-type'], /problem\+json/)
  t.same(r.json().schemes.map((s: any) => s.id).sort(), [s1.id, s2.id].sort(), 'the current ones only: not the ended scheme, not the deleted one')
  t.same(r.json().schemes.find((s: any) => s.id === s1.id), { id: s1.id, name: 'Tuesday Walk' })
  t.equal(await checksum(app), before)

  for (const s of [s1, s2]) {
    t.equal((await call(app, 'PATCH', `/v1/schemes/${s.id}`, { key, body: { sessions: [] }, headers: { 'if-match': '"1"' } })).statusCode, 200)
  }
  t.equal((await call(app, 'DELETE', url, { key })).statusCode, 428)
  const d = await call(app, 'DELETE', url, { key, headers: { 'if-match': '"1"' } })
  t.equal(d.statusCode, 204)
  t.equal(d.body, '')
  t.equal((await call(app, 'GET', url)).statusCode, 410)
  t.equal((await call(app, 'PATCH', url, { key, body: {}, headers: { 'if-match': '"2"' } })).statusCode, 410)
  t.equal((await call(app, 'DELETE', url, { key, headers: { 'if-match': '"2"' } })).statusCode, 410)
  const reuse = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ name: 'New', sessions: [weekly(v.id)] }) })
  t.match(reuse.json().errors, [{ pointer: '/sessions/0/venue_id', message: /deleted venue/ }], 'a deleted venue cannot take new sessions')
  const oldOnly = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ name: 'Archive', sessions: [weekly(v.id, { valid_to: '2020-01-01' })] }) })
  t.equal(oldOnly.statusCode, 201, 'a session that is over may keep it')
})

t.test('invalid bodies: each rule a 400 with its pointer, nothing written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const good = venueBody()
  const cases: Array<[string, unknown, string]> = [
    ['name missing', { ...good, name: undefined }, '/name'],
    ['name over 200', { ...good, name: 'x'.repeat(201) }, '/name'],
    ['address missing', { ...good, address: undefined }, '/address'],
    ['line1 missing', { ...good, address: { town: 'London', postcode: 'SE15 4AA' } }, '/address/line1'],
    ['town blank', { ...good, address: { ...good.address, town: ' ' } }, '/address/town'],
    ['line2 over 500', { ...good, address: { ...good.address, line2: 'x'.repeat(501) } }, '/address/line2'],
    ['postcode not a postcode', { ...good, address: { ...good.address, postcode: 'ABC' } }, '/address/postcode'],
    ['latitude south of the UK', { ...good, location: { lat: 49.7, lon: -1 } }, '/location/lat'],
    ['latitude north of the UK', { ...good, location: { lat: 61, lon: -1 } }, '/location/lat'],
    ['longitude west of the UK', { ...good, location: { lat: 54, lon: -8.8 } }, '/location/lon'],
    ['longitude east of the UK', { ...good, location: { lat: 52, lon: 1.9 } }, '/location/lon'],
    ['location without lon', { ...good, location: { lat: 52 } }, '/location/lon'],
    ['latitude as text', { ...good, location: { lat: '52', lon: 0 } }, '/location/lat'],
    ['unknown accessibility code', { ...good, accessibility: ['lift'] }, '/accessibility/0'],
    ['accessibility twice', { ...good, accessibility: ['bsl', 'bsl'] }, '/accessibility'],
    ['unknown field', { ...good, capacity: 30 }, '/capacity'],
    ['read-only id', { ...good, id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }, '/id'],
    ['NUL in a name', { ...good, name: 'Hall\u0000' }, '/name'],
  ]
  for (const [what, body, pointer] of cases) {
    const before = await checksum(app)
    const r = await call(app, 'POST', '/v1/venues', { key, body })
    t.equal(r.statusCode, 400, `${what}: 400`)
    t.ok(r.json().errors?.some((e: any) => e.pointer === pointer), `${what}: names ${pointer}`, { errors: r.json().errors })
    t.equal(await checksum(app), before, `${what}: nothing written`)
  }
})

t.test('role × ownership over every venue write', async (t) => {
  const { app } = await build(t)
  const { orgA, keys } = await actors(app)
  const expected: Record<string, [number, number, number]> = {
    admin: [201, 200, 204], publisherA: [201, 200, 204], publisherB: [201, 403, 403], reader: [403, 403, 403], none: [401, 401, 401], revoked: [401, 401, 401],
  }
  for (const [who, key] of Object.entries(keys)) {
    const victim = await createVenue(app, keys.publisherA!)
    const before = await checksum(app)
    const c = await call(app, 'POST', '/v1/venues', { key, body: venueBody(who === 'admin' ? { organisation_id: orgA.id } : {}) })
    const p = await call(app, 'PATCH', `/v1/venues/${victim.id}`, { key, body: { name: `Renamed by ${who}` }, headers: { 'if-match': '"1"' } })
    const d = await call(app, 'DELETE', `/v1/venues/${victim.id}`, { key, headers: { 'if-match': `"${p.statusCode === 200 ? 2 : 1}"` } })
    t.same([c.statusCode, p.statusCode, d.statusCode], expected[who], `POST, PATCH, DELETE by ${who} (publisher B's POST goes to its own organisation)`)
    if (expected[who][0] >= 400) t.equal(await checksum(app), before, `${who}: nothing written`)
  }
})

t.test('two writers with the same ETag: one wins, the other gets 412', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const [a, b] = await Promise.all(['First', 'Second'].map((name) => call(app, 'PATCH', `/v1/venues/${v.id}`, { key, body: { name }, headers: { 'if-match': '"1"' } })))
  t.same([a.statusCode, b.statusCode].sort(), [200, 412])
  const now = (await call(app, 'GET', `/v1/venues/${v.id}`)).json()
  t.equal(now.version, 2)
  t.equal(now.name, (a.statusCode === 200 ? a : b).json().name, 'the winner\'s change is what is kept')
})

t.test('fuzz: POST, PATCH and DELETE never answer 5xx, and a refusal writes nothing', async (t) => {
  // Tried: valid venues with up to three fields set to odd values (outside the UK, NUL,
  // huge, wrong types, NI and unknown postcodes) or removed; random and broken JSON; odd
  // content types; If-Match current, stale, missing or junk; Idempotency-Key junk.
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const base = venueBody()
  const paths = [['name'], ['address'], ['address', 'line1'], ['address', 'line2'], ['address', 'town'], ['address', 'postcode'], ['location'], ['location', 'lat'], ['location', 'lon'], ['accessibility'], ['accessibility', 0], ['organisation_id'], ['id']]
  const { location: _placed, ...geocoded } = base
  const extra = [other.organisation.id, 'SW99 1AA', 'M1 1AE', 'BT1 1AA']
  const bodies = fc.oneof(
    { weight: 3, arbitrary: mutatedBody(base, paths, extra) },
    { weight: 3, arbitrary: mutatedBody(geocoded, paths, extra) },
    { weight: 1, arbitrary: fc.constantFrom('BT1 1AA', 'SW99 1AA', 'JE2 3AB', 'M1 1AE').map((postcode) => ({ ...geocoded, address: { ...base.address, postcode } })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  )
  const posts = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, idem: fc.option(headerJunk, { nil: undefined }) }), async (x) => ({
    method: 'POST', url: '/v1/venues', payload: x.payload,
    headers: { authorization: `Bearer ${key}`, ...(x.type ? { 'content-type': x.type } : {}), ...(x.idem !== undefined ? { 'idempotency-key': x.idem } : {}) },
  }), 150)
  t.ok(posts[201] > 0 && posts[400] > 0 && posts[422] > 0, JSON.stringify(posts))

  const target = await createVenue(app, key)
  const url = `/v1/venues/${target.id}`
  const ifMatch = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('current', 'stale', 'none') }, { weight: 1, arbitrary: headerJunk })
  const etag = async (which: string) => {
    const version = (await call(app, 'GET', url)).json().version
    return which === 'current' ? `"${version}"` : which === 'stale' ? `"${version - 1}"` : which
  }
  const patches = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, ifMatch }), async (x) => {
    const m = await etag(x.ifMatch)
    return { method: 'PATCH', url, payload: x.payload, headers: { authorization: `Bearer ${key}`, ...(x.type ? { 'content-type': x.type } : {}), ...(m !== 'none' ? { 'if-match': m } : {}) } }
  }, 150)
  t.ok(patches[200] > 0 && patches[400] > 0 && patches[412] > 0, JSON.stringify(patches))

  // DELETE last: junk ids and If-Match values; the venue is used by a scheme, so a current If-Match meets the 409.
  await createScheme(app, key, { sessions: [weekly(target.id)] })
  const deletes = await fuzzWrites(app, fc.record({ ifMatch, id: fc.oneof(fc.constant(target.id), fc.uuid(), headerJunk.filter((s) => !/[/?#%]/.test(s))) }), async (x) => {
    const m = await etag(x.ifMatch)
    return { method: 'DELETE', url: `/v1/venues/${encodeURIComponent(x.id)}`, headers: { authorization: `Bearer ${key}`, ...(m !== 'none' ? { 'if-match': m } : {}) } }
  }, 80)
  t.ok(deletes[409] > 0 && deletes[404] > 0, JSON.stringify(deletes))
})
