import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import {
  actors, adminKey, call, checksum, contentTypes, createOrganisation, fuzzWrites, headerJunk, mutatedBody, payloadOf,
} from '../fixtures/api.ts'

t.test('an admin registers an organisation; GET shows it with its ETag', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  const body = { name: 'Peckham Walking Friends', charity_number: '1234567', website: 'https://peckhamwalking.org.uk', email: 'hello@peckhamwalking.org.uk', phone: '020 7946 0958', description: 'Walks for everyone.' }
  const r = await call(app, 'POST', '/v1/organisations', { key: admin, body })
  t.equal(r.statusCode, 201)
  const doc = r.json()
  t.match(doc, { ...body, id: String, version: 1, created_at: String, updated_at: String })
  t.equal(r.headers.location, `/v1/organisations/${doc.id}`)
  t.equal(r.headers.etag, '"1"')
  const g = await call(app, 'GET', r.headers.location as string)
  t.equal(g.statusCode, 200)
  t.same(g.json(), doc, 'the create answered the resource as GET shows it')
  t.equal(g.headers.etag, '"1"')
  t.equal((await call(app, 'GET', '/v1/organisations/6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f')).statusCode, 404)
  const bad = await call(app, 'GET', '/v1/organisations/not-a-uuid')
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: any) => e.parameter), ['id'])
})

t.test('the list pages by name, then id, with a cursor; every organisation once', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  const names = ['banana Club', 'Apple Society', 'apple society', 'Cherry Trust', 'Date Group', 'éclair Circle', 'Zebra']
  for (const name of names) t.equal((await call(app, 'POST', '/v1/organisations', { key: admin, body: { name } })).statusCode, 201)
  const seen: any[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const r = await call(app, 'GET', `/v1/organisations?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    t.equal(r.statusCode, 200)
    t.ok(r.headers.etag, 'a list carries an ETag too')
    const page = r.json()
    t.ok(page.items.length <= 2)
    seen.push(...page.items)
    cursor = page.next_cursor
    pages++
  } while (cursor && pages < 10)
  t.equal(pages, 4)
  const expected = [...names].sort((a, b) => (Buffer.compare(Buffer.from(a.toLowerCase()), Buffer.from(b.toLowerCase()))))
  t.same(seen.map((o) => o.name.toLowerCase()), expected.map((n) => n.toLowerCase()), 'lower(name) byte-wise')
  t.equal(new Set(seen.map((o) => o.id)).size, names.length, 'none twice')
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'cursor=nonsense', 'offset=2']) {
    const r = await call(app, 'GET', `/v1/organisations?${q}`)
    t.equal(r.statusCode, 400, q)
  }
})

t.test('PATCH is a merge patch with If-Match; the version grows', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app, { phone: '020 7946 0958', website: 'https://a.org.uk' })
  const url = `/v1/organisations/${organisation.id}`
  const r = await call(app, 'PATCH', url, { key, body: { website: null, email: 'new@a.org.uk' }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' } })
  t.equal(r.statusCode, 200)
  t.equal(r.headers.etag, '"2"')
  const doc = r.json()
  t.equal(doc.version, 2)
  t.equal(doc.email, 'new@a.org.uk')
  t.notOk('website' in doc, 'null removed it')
  t.equal(doc.phone, '020 7946 0958', 'untouched fields stay')
  t.same((await call(app, 'GET', url)).json(), doc)
  const plain = await call(app, 'PATCH', url, { key, body: { description: 'Plain JSON works too' }, headers: { 'if-match': '"2"' } })
  t.equal(plain.statusCode, 200)

  const before = await checksum(app)
  const missing = await call(app, 'PATCH', url, { key, body: { name: 'x' } })
  t.equal(missing.statusCode, 428)
  t.same(missing.json().errors, [{ header: 'if-match', message: 'required' }])
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' }, headers: { 'if-match': '"2"' } })).statusCode, 412, 'a stale ETag')
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' }, headers: { 'if-match': 'W/"3"' } })).statusCode, 412, 'a weak ETag never matches')
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' }, headers: { 'if-match': 'three' } })).statusCode, 400, 'not an ETag')
  const ro = await call(app, 'PATCH', url, { key, body: { id: 'x', version: 9, created_at: 'x', name: null }, headers: { 'if-match': '"3"' } })
  t.equal(ro.statusCode, 400)
  t.same(ro.json().errors.map((e: any) => e.pointer).sort(), ['/created_at', '/id', '/name', '/version'], 'read-only fields named, and a required one removed')
  t.equal(await checksum(app), before, 'nothing written by the refused patches')
  t.equal((await call(app, 'PATCH', '/v1/organisations/6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', { key, body: {}, headers: { 'if-match': '"1"' } })).statusCode, 404)
})

t.test('invalid bodies: each rule a 400 with its pointer, nothing written', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  const good = { name: 'Good Org' }
  const cases: Array<[string, unknown, string]> = [
    ['name missing', {}, '/name'],
    ['name empty', { name: '' }, '/name'],
    ['name blank', { name: '   ' }, '/name'],
    ['name over 200', { name: 'x'.repeat(201) }, '/name'],
    ['name not a string', { name: 5 }, '/name'],
    ['description over 5000', { ...good, description: 'x'.repeat(5001) }, '/description'],
    ['charity_number over 500', { ...good, charity_number: 'x'.repeat(501) }, '/charity_number'],
    ['e-mail format', { ...good, email: 'not-an-email' }, '/email'],
    ['website not http(s)', { ...good, website: 'ftp://example.org' }, '/website'],
    ['website not a URL', { ...good, website: 'example' }, '/website'],
    ['phone not UK', { ...good, phone: '+1 202 555 0100' }, '/phone'],
    ['unknown field', { ...good, colour: 'blue' }, '/colour'],
    ['read-only id', { ...good, id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }, '/id'],
    ['read-only version', { ...good, version: 1 }, '/version'],
    ['read-only created_at', { ...good, created_at: '2026-01-01T00:00:00Z' }, '/created_at'],
    ['NUL in text', { name: 'a\u0000b' }, '/name'],
    ['not an object', ['x'], ''],
  ]
  for (const [what, body, pointer] of cases) {
    const before = await checksum(app)
    const r = await call(app, 'POST', '/v1/organisations', { key: admin, body })
    t.equal(r.statusCode, 400, `${what}: 400`)
    t.ok(r.json().errors.some((e: any) => e.pointer === pointer), `${what}: names ${pointer}`, { errors: r.json().errors })
    t.equal(await checksum(app), before, `${what}: nothing written`)
  }
  const all = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: '', email: 'x', phone: 'x', zzz: 1 } })
  t.same(all.json().errors.map((e: any) => e.pointer).sort(), ['/email', '/name', '/phone', '/zzz'], 'all bad fields at once')
  t.equal((await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'x'.repeat(1024 * 1024) } })).statusCode, 413, 'over 1 MiB')
})

t.test('role × ownership: who may create and change organisations', async (t) => {
  const { app } = await build(t)
  const { orgA, keys } = await actors(app)
  const expectCreate: Record<string, number> = { admin: 201, publisherA: 403, publisherB: 403, reader: 403, none: 401, revoked: 401 }
  const expectPatch: Record<string, number> = { admin: 200, publisherA: 200, publisherB: 403, reader: 403, none: 401, revoked: 401 }
  let version = 1
  for (const [who, key] of Object.entries(keys)) {
    const before = await checksum(app)
    const c = await call(app, 'POST', '/v1/organisations', { key, body: { name: `By ${who}` } })
    t.equal(c.statusCode, expectCreate[who], `POST by ${who}`)
    const p = await call(app, 'PATCH', `/v1/organisations/${orgA.id}`, { key, body: { description: `by ${who}` }, headers: { 'if-match': `"${version}"` } })
    t.equal(p.statusCode, expectPatch[who], `PATCH of organisation A by ${who}`)
    if (p.statusCode === 200) version++
    if (c.statusCode !== 201 && p.statusCode !== 200) t.equal(await checksum(app), before, `${who}: nothing written`)
  }
})

t.test('Idempotency-Key: a replay gets the first answer; another body is a 422', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const headers = { 'idempotency-key': 'org-create-1' }
  const first = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'Once Only', phone: '0800 123 4567' }, headers })
  t.equal(first.statusCode, 201)
  const again = await call(app, 'POST', '/v1/organisations', { key: admin, body: { phone: '0800 123 4567', name: 'Once Only' }, headers })
  t.equal(again.statusCode, 201, 'same status')
  t.equal(again.body, first.body, 'same body (key order in the request does not matter)')
  t.equal(again.headers.location, first.headers.location)
  t.equal(again.headers.etag, first.headers.etag)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal((await db.query("SELECT 1 FROM organisations WHERE name = 'Once Only'")).length, 1, 'created once')
  const other = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'Something Else' }, headers })
  t.equal(other.statusCode, 422)
  t.same(other.json().errors, [{ header: 'idempotency-key', message: 'already used with a different request' }])
  const otherAdmin = await adminKey(app)
  t.equal((await call(app, 'POST', '/v1/organisations', { key: otherAdmin, body: { name: 'Something Else' }, headers })).statusCode, 201, 'keys are scoped to the caller')
  const bad = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'x' }, headers: { 'idempotency-key': 'x'.repeat(256) } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: any) => e.header), ['idempotency-key'])
  const invalid = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: '' }, headers: { 'idempotency-key': 'retry-me' } })
  t.equal(invalid.statusCode, 400)
  t.equal((await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'Fixed' }, headers: { 'idempotency-key': 'retry-me' } })).statusCode, 201, 'a refused request stores nothing: the corrected retry goes through')
})

t.test('concurrent duplicates with one Idempotency-Key create one organisation', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const send = () => call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'Raced' }, headers: { 'idempotency-key': 'race-1' } })
  const answers = await Promise.all([send(), send(), send(), send()])
  t.same(answers.map((a) => a.statusCode), [201, 201, 201, 201])
  t.equal(new Set(answers.map((a) => a.json().id)).size, 1, 'one id in every answer')
  t.equal((await db.query("SELECT 1 FROM organisations WHERE name = 'Raced'")).length, 1)
})

t.test('fuzz: POST and PATCH never answer 5xx, and a refusal writes nothing', async (t) => {
  // Tried: valid bodies with up to three fields set to odd values (empty, NUL, huge, wrong
  // types, foreign shapes) or removed, random JSON, broken JSON, odd content types, and
  // If-Match / Idempotency-Key headers that are current, stale or junk.
  const { app } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const base = { name: 'Fuzz Org', charity_number: '123', website: 'https://f.org', email: 'a@f.org', phone: '020 7946 0958', description: 'd' }
  const paths = [['name'], ['charity_number'], ['website'], ['email'], ['phone'], ['description'], ['id'], ['version']]
  const bodies = fc.oneof({ weight: 5, arbitrary: mutatedBody(base, paths) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) })
  const posts = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, idem: fc.option(fc.oneof(fc.constantFrom('k1', 'k2'), headerJunk), { nil: undefined }) }), async (x) => ({
    method: 'POST', url: '/v1/organisations', payload: x.payload,
    headers: { authorization: `Bearer ${admin}`, ...(x.type ? { 'content-type': x.type } : {}), ...(x.idem !== undefined ? { 'idempotency-key': x.idem } : {}) },
  }), 150)
  t.ok(posts[201] > 0 && Object.keys(posts).some((s) => +s >= 400), `both accepted and refused cases were tried: ${JSON.stringify(posts)}`)

  const url = `/v1/organisations/${organisation.id}`
  const patches = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, ifMatch: fc.oneof(fc.constantFrom('current', 'stale', 'none', '*'), headerJunk) }), async (x) => {
    const version = (await call(app, 'GET', url)).json().version
    const ifMatch = x.ifMatch === 'current' ? `"${version}"` : x.ifMatch === 'stale' ? `"${version - 1}"` : x.ifMatch
    return {
      method: 'PATCH', url, payload: x.payload,
      headers: { authorization: `Bearer ${key}`, ...(x.type ? { 'content-type': x.type } : {}), ...(ifMatch !== 'none' ? { 'if-match': ifMatch } : {}) },
    }
  }, 150)
  t.ok(patches[200] > 0 && patches[412] > 0 && patches[428] > 0, `accepted, stale and missing If-Match all seen: ${JSON.stringify(patches)}`)
})
