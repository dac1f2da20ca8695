import t from 'tap'
import { build } from '../helper.ts'
import { call, createKey, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'

// OWASP API1 (object level), API3 (property level) and API5 (function level): what a
// publisher of one organisation, a reader and an admin may and may not do, and that a
// refused request changes nothing.

async function twoOrganisations(t: any) {
  const built = await build(t)
  const a = await createOrganisation(built.app)
  const b = await createOrganisation(built.app)
  const venueB = await createVenue(built.app, b.key)
  const schemeB = await createScheme(built.app, b.key, { sessions: [weekly(venueB.id)] })
  return { ...built, a, b, venueB, schemeB }
}

const etagOf = async (app: any, url: string, key?: string) => String((await call(app, 'GET', url, { key })).headers.etag)

t.test('API1: a publisher cannot change or delete another organisation\'s records (403), and nothing changes', async (t) => {
  const { app, a, b, venueB, schemeB } = await twoOrganisations(t)
  const schemeUrl = `/v1/schemes/${schemeB.id}`
  const venueUrl = `/v1/venues/${venueB.id}`
  const orgUrl = `/v1/organisations/${b.organisation.id}`
  const before = { scheme: (await call(app, 'GET', schemeUrl)).json(), venue: (await call(app, 'GET', venueUrl)).json(), org: (await call(app, 'GET', orgUrl)).json() }
  // Each with the current ETag, so that only the key is wrong.
  const attempts: Array<[string, string, unknown, string]> = [
    ['PATCH', schemeUrl, { name: 'Taken over' }, await etagOf(app, schemeUrl)],
    ['PUT', schemeUrl, { ...schemeB, name: 'Taken over' }, await etagOf(app, schemeUrl)],
    ['DELETE', schemeUrl, undefined, await etagOf(app, schemeUrl)],
    ['POST', `${schemeUrl}/verify`, undefined, ''],
    ['PUT', `${schemeUrl}/capacity`, { status: 'full' }, ''],
    ['PATCH', venueUrl, { name: 'Taken over' }, await etagOf(app, venueUrl)],
    ['DELETE', venueUrl, undefined, await etagOf(app, venueUrl)],
    ['PATCH', orgUrl, { name: 'Taken over' }, await etagOf(app, orgUrl)],
  ]
  for (const [method, url, body, etag] of attempts) {
    const headers: Record<string, string> = etag ? { 'if-match': etag } : {}
    let payload = body
    if (method === 'PUT' && body && typeof body === 'object') {
      // PUT takes the writable fields only
      const { id: _i, organisation_id: _o, version: _v, created_at: _c, updated_at: _u, last_verified_at: _l, ...rest } = body as any
      payload = rest
    }
    const r = await call(app, method as any, url, { key: a.key, body: payload, headers })
    t.equal(r.statusCode, 403, `${method} ${url.replace(/[0-9a-f-]{36}/, '{id}')} with another organisation's key`)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
  }
  t.same((await call(app, 'GET', schemeUrl)).json(), before.scheme, 'the scheme is unchanged')
  t.same((await call(app, 'GET', venueUrl)).json(), before.venue, 'the venue is unchanged')
  t.same((await call(app, 'GET', orgUrl)).json(), before.org, 'the organisation is unchanged')
  const history = (await call(app, 'GET', `${schemeUrl}/history`)).json()
  t.equal(history.items.length, 1, 'no history entry was added')
})

t.test('API1: a publisher cannot use another organisation\'s venue in its own scheme', async (t) => {
  const { app, a, venueB, db } = await twoOrganisations(t)
  const r = await call(app, 'POST', '/v1/schemes', {
    key: a.key,
    body: { name: 'Borrowed hall scheme', description: 'x', categories: ['walking'], needs: [], audience: [], delivery: ['in_person'], cost: { free: true }, self_referral: true, languages: ['en'], contact: { phone: '020 7946 0958' }, sessions: [weekly(venueB.id)] },
  })
  t.ok(r.statusCode >= 400 && r.statusCode < 500, `refused with ${r.statusCode}`)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  const rows = await db.query(`SELECT count(*)::int AS n FROM schemes WHERE name = 'Borrowed hall scheme'`)
  t.equal(rows[0].n, 0, 'nothing was written')
})

t.test('API3: read-only properties in a publisher\'s write body are a 400 naming each, and nothing is written', async (t) => {
  const { app, a, b, db } = await twoOrganisations(t)
  const venue = await createVenue(app, a.key)
  const readOnly = { organisation_id: b.organisation.id, version: 7, last_verified_at: '2020-01-01T00:00:00Z', id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', created_at: '2020-01-01T00:00:00Z', updated_at: '2020-01-01T00:00:00Z' }
  const body = { name: 'Sneaky scheme', description: 'x', categories: ['walking'], needs: [], audience: [], delivery: ['in_person'], cost: { free: true }, self_referral: true, languages: ['en'], contact: { phone: '020 7946 0958' }, sessions: [weekly(venue.id)] }
  const r = await call(app, 'POST', '/v1/schemes', { key: a.key, body: { ...body, ...readOnly } })
  t.equal(r.statusCode, 400)
  const pointers = r.json().errors.map((e: any) => e.pointer).sort()
  t.same(pointers, Object.keys(readOnly).map((k) => '/' + k).sort(), 'every read-only field is named')
  t.equal((await db.query(`SELECT count(*)::int AS n FROM schemes WHERE name = 'Sneaky scheme'`))[0].n, 0, 'nothing was written')

  // one at a time, on create and on update
  const mine = await createScheme(app, a.key, { sessions: [weekly(venue.id)] })
  for (const [field, value] of Object.entries(readOnly)) {
    const c = await call(app, 'POST', '/v1/schemes', { key: a.key, body: { ...body, [field]: value } })
    t.equal(c.statusCode, 400, `POST with ${field}`)
    t.same(c.json().errors?.map((e: any) => e.pointer), ['/' + field])
    const etag = await etagOf(app, `/v1/schemes/${mine.id}`)
    const p = await call(app, 'PATCH', `/v1/schemes/${mine.id}`, { key: a.key, body: { [field]: value }, headers: { 'if-match': etag } })
    t.equal(p.statusCode, 400, `PATCH with ${field}`)
  }
  const after = (await call(app, 'GET', `/v1/schemes/${mine.id}`)).json()
  t.equal(after.version, 1, 'version still 1: no refused PATCH changed it')
  t.equal(after.organisation_id, a.organisation.id)
  t.equal(after.last_verified_at, mine.last_verified_at)

  // a venue's organisation cannot be chosen by a publisher either
  const v = await call(app, 'POST', '/v1/venues', { key: a.key, body: { name: 'Elsewhere', address: { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1UR' }, location: { lat: 53.8, lon: -1.55 }, accessibility: [], organisation_id: b.organisation.id } })
  t.equal(v.statusCode, 400)
  t.same(v.json().errors?.map((e: any) => e.pointer), ['/organisation_id'])
})

t.test('API5: admin functions refuse publisher and reader keys (403); writes refuse reader keys', async (t) => {
  const { app, a } = await twoOrganisations(t)
  const reader = await createKey(app, a.admin, { role: 'reader', label: 'reader' })
  const other = await createKey(app, a.admin, { role: 'publisher', organisation_id: a.organisation.id, label: 'other' })
  const adminCalls: Array<[string, string, unknown?]> = [
    ['POST', '/v1/organisations', { name: 'Not allowed' }],
    ['POST', '/v1/keys', { role: 'admin', label: 'escalate' }],
    ['POST', '/v1/keys', { role: 'publisher', organisation_id: a.organisation.id }],
    ['GET', '/v1/keys'],
    ['GET', `/v1/keys/${other.id}`],
    ['DELETE', `/v1/keys/${other.id}`],
  ]
  for (const [who, key] of [['publisher', a.key], ['reader', reader.key]] as const) {
    for (const [method, url, body] of adminCalls) {
      const r = await call(app, method as any, url, { key, body })
      t.equal(r.statusCode, 403, `${who}: ${method} ${url.replace(/[0-9a-f-]{36}/, '{id}')}`)
      t.match(r.headers['content-type'], /^application\/problem\+json/)
    }
  }
  const w = await call(app, 'POST', '/v1/venues', { key: reader.key, body: { name: 'x', address: { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1UR' }, location: { lat: 53.8, lon: -1.55 }, accessibility: [] } })
  t.equal(w.statusCode, 403, 'a reader key cannot write')
  const keys = (await call(app, 'GET', '/v1/keys', { key: a.admin })).json()
  t.ok(keys.items.some((k: any) => k.id === other.id), 'the key the others tried to revoke is still listed')
  t.notOk(keys.items.find((k: any) => k.id === other.id).revoked_at, 'and not revoked')
})

t.test('API3: key listings never carry a secret or its hash', async (t) => {
  const { app, a, b } = await twoOrganisations(t)
  const r = await call(app, 'GET', '/v1/keys', { key: a.admin })
  t.equal(r.statusCode, 200)
  for (const secret of [a.key, b.key, a.admin]) t.notOk(r.body.includes(secret), 'no key secret in the list')
  t.notMatch(r.body, /key_hash|"key":/, 'no hash, no key field')
  const one = await call(app, 'GET', `/v1/keys/${a.keyId}`, { key: a.admin })
  t.notOk(one.body.includes(a.key))
  t.notMatch(one.body, /key_hash|"key":/)
})
