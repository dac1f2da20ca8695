import t from 'tap'
import { build } from '../helper.ts'
import { actors, call, checksum, createOrganisation, createScheme, createVenue, schemeBody, weekly } from '../fixtures/api.ts'

// Who may write a scheme, and what happens when writers meet: the role × ownership matrix,
// two writers with one ETag, and Idempotency-Key replays.

t.test('role × ownership over every scheme write', async (t) => {
  const { app } = await build(t)
  const { orgA, keys } = await actors(app)
  const venueA = await createVenue(app, keys.publisherA!)
  // [POST, PUT, PATCH, verify, DELETE]; publisher B's POST goes to its own organisation.
  const expected: Record<string, number[]> = {
    admin: [201, 200, 200, 200, 204],
    publisherA: [201, 200, 200, 200, 204],
    publisherB: [201, 403, 403, 403, 403],
    reader: [403, 403, 403, 403, 403],
    none: [401, 401, 401, 401, 401],
    revoked: [401, 401, 401, 401, 401],
  }
  for (const [who, key] of Object.entries(keys)) {
    const victim = await createScheme(app, keys.publisherA!, { sessions: [weekly(venueA.id)] })
    const url = `/v1/schemes/${victim.id}`
    const before = await checksum(app)
    const post = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ sessions: [], ...(who === 'admin' ? { organisation_id: orgA.id } : {}) }) })
    const put = await call(app, 'PUT', url, { key, body: schemeBody({ name: `Put by ${who}`, sessions: [weekly(venueA.id)] }), headers: { 'if-match': '"1"' } })
    let version = put.statusCode === 200 ? 2 : 1
    const patch = await call(app, 'PATCH', url, { key, body: { description: `by ${who}` }, headers: { 'if-match': `"${version}"` } })
    if (patch.statusCode === 200) version++
    const verify = await call(app, 'POST', `${url}/verify`, { key })
    if (verify.statusCode === 200) version++
    const del = await call(app, 'DELETE', url, { key, headers: { 'if-match': `"${version}"` } })
    t.same([post, put, patch, verify, del].map((r) => r.statusCode), expected[who], `${who}: POST, PUT, PATCH, verify, DELETE`)
    if (expected[who][0] >= 400) {
      t.equal(await checksum(app), before, `${who}: nothing written`)
      t.match(put.json(), { type: who === 'none' || who === 'revoked' ? '/problems/unauthorized' : '/problems/forbidden' })
    }
  }
  const intruder = await call(app, 'POST', '/v1/schemes', { key: keys.publisherB, body: schemeBody({ sessions: [weekly(venueA.id)] }) })
  t.match(intruder.json().errors, [{ pointer: '/sessions/0/venue_id', message: /another organisation/ }], 'publisher B cannot meet at organisation A\'s venue')
})

t.test('two writers with the same ETag: one wins, the other gets 412, history complete', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const s = await createScheme(app, key, { sessions: [weekly(v.id)] })
  const url = `/v1/schemes/${s.id}`

  // PUT against PATCH, both holding "1"
  const [a, b] = await Promise.all([
    call(app, 'PUT', url, { key, body: schemeBody({ name: 'Writer A', sessions: [weekly(v.id, { days: ['mon'] })] }), headers: { 'if-match': '"1"' } }),
    call(app, 'PATCH', url, { key, body: { name: 'Writer B' }, headers: { 'if-match': '"1"' } }),
  ])
  t.same([a.statusCode, b.statusCode].sort(), [200, 412], 'exactly one wins')
  const winner = a.statusCode === 200 ? a.json() : b.json()
  const loser = a.statusCode === 200 ? b : a
  t.match(loser.json(), { type: '/problems/precondition-failed', errors: [{ header: 'if-match' }] })

  // then five writers at once holding "2"
  const many = await Promise.all([1, 2, 3, 4, 5].map((i) => call(app, 'PATCH', url, { key, body: { description: `writer ${i}` }, headers: { 'if-match': '"2"' } })))
  t.same(many.map((r) => r.statusCode).sort(), [200, 412, 412, 412, 412])
  const last = many.find((r) => r.statusCode === 200)!.json()

  const now = (await call(app, 'GET', url)).json()
  t.equal(now.version, 3, 'one version per accepted change')
  t.equal(now.description, last.description, 'the accepted change is the one kept')
  t.equal(now.name, winner.name, 'and the first winner\'s change was not lost')
  const history = (await call(app, 'GET', `${url}/history`)).json().items
  t.same(history.map((h: any) => [h.version, h.action]), [[3, 'update'], [2, 'update'], [1, 'create']], 'every version, no gaps, no duplicates')
  t.equal(history[1].scheme.name, winner.name)
  t.equal(history[0].scheme.description, last.description)

  const dels = await Promise.all([1, 2].map(() => call(app, 'DELETE', url, { key, headers: { 'if-match': '"3"' } })))
  t.same(dels.map((r) => r.statusCode).sort(), [204, 410], 'two deletes: one wins, the other finds it gone')
})

t.test('Idempotency-Key on scheme creation and verify: replays, 422 on another body, no duplicates', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const body = schemeBody({ name: 'Idempotent Walk', sessions: [weekly(v.id)] })
  const headers = { 'idempotency-key': '5b2f9c1e-retry' }
  const first = await call(app, 'POST', '/v1/schemes', { key, body, headers })
  t.equal(first.statusCode, 201)
  const replay = await call(app, 'POST', '/v1/schemes', { key, body, headers })
  t.equal(replay.statusCode, 201)
  t.equal(replay.body, first.body, 'the first response, byte for byte')
  t.equal(replay.headers.location, first.headers.location)
  t.equal(replay.headers.etag, first.headers.etag)
  const other = await call(app, 'POST', '/v1/schemes', { key, body: { ...body, name: 'Another' }, headers })
  t.equal(other.statusCode, 422)
  t.match(other.json(), { type: '/problems/idempotency-key-reused', errors: [{ header: 'idempotency-key' }] })
  const elsewhere = await call(app, 'POST', '/v1/venues', { key, body: { name: 'x', address: { line1: 'a', town: 'b', postcode: 'SE15 4AA' } }, headers })
  t.equal(elsewhere.statusCode, 422, 'the same key on another endpoint is another request')

  const raced = await Promise.all([1, 2, 3].map(() => call(app, 'POST', '/v1/schemes', { key, body: { ...body, name: 'Raced' }, headers: { 'idempotency-key': 'race' } })))
  t.same(raced.map((r) => r.statusCode), [201, 201, 201])
  t.equal(new Set(raced.map((r) => r.json().id)).size, 1)
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM schemes WHERE name IN ('Idempotent Walk', 'Raced')")
  t.equal(n, 2, 'one scheme per key')

  const id = first.json().id
  const v1 = await call(app, 'POST', `/v1/schemes/${id}/verify`, { key, headers: { 'idempotency-key': 'verify-1' } })
  const v2 = await call(app, 'POST', `/v1/schemes/${id}/verify`, { key, headers: { 'idempotency-key': 'verify-1' } })
  t.same([v1.statusCode, v2.statusCode], [200, 200])
  t.equal(v2.body, v1.body)
  t.equal((await call(app, 'GET', `/v1/schemes/${id}`)).json().version, 2, 'verified once')
})
