import t from 'tap'
import { build } from '../helper.ts'
import { call, checksum, createKey, createOrganisation, createScheme } from '../fixtures/api.ts'

// PUT /v1/schemes/{id}/capacity (issue 13): the capacity alone, its own small write.

const uuid = '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

t.test('a publisher sets its scheme\'s capacity: a new version, an update in the history, the new ETag', async (t) => {
  const { app, db } = await build(t)
  const { key, keyId, admin } = await createOrganisation(app)
  const s = await createScheme(app, key)
  const url = `/v1/schemes/${s.id}/capacity`

  const r = await call(app, 'PUT', url, { key, body: { status: 'places_available', places: 5 } })
  t.equal(r.statusCode, 200, r.body)
  t.equal(r.headers.etag, '"2"', 'the scheme\'s new ETag')
  t.match(r.headers['content-type'], /^application\/json/)
  t.same(Object.keys(r.json()).sort(), ['places', 'status', 'updated_at'])
  t.match(r.json(), { status: 'places_available', places: 5, updated_at: TIMESTAMP })
  const g = await call(app, 'GET', `/v1/schemes/${s.id}`)
  t.equal(g.headers.etag, '"2"')
  t.same(g.json().capacity, r.json(), 'GET shows it')
  t.ok(g.json().updated_at > s.updated_at && g.json().last_verified_at > s.last_verified_at, 'an update: updated_at and last_verified_at move')
  t.same({ ...g.json(), capacity: undefined, version: 1, updated_at: s.updated_at, last_verified_at: s.last_verified_at }, { ...s, capacity: undefined },
    'nothing else changed')

  const h = (await call(app, 'GET', `/v1/schemes/${s.id}/history`)).json()
  t.same(h.items.map((i: any) => [i.version, i.action]), [[2, 'update'], [1, 'create']])
  t.same(h.items[0].actor, { key_id: keyId, role: 'publisher' })
  t.same(h.items[0].scheme, g.json(), 'the history keeps the scheme as it then stood')

  // the same figures again are still news: a new version and a fresh stamp
  await db.query("UPDATE schemes SET capacity_updated_at = '2026-01-05T09:00:00Z' WHERE id = $1", [s.id])
  const again = await call(app, 'PUT', url, { key, body: { status: 'places_available', places: 5 } })
  t.equal(again.headers.etag, '"3"')
  t.ok(again.json().updated_at > '2026-01-05T09:00:00.000Z', 'stamped now')

  // If-Match is optional; when sent it is honoured
  t.equal((await call(app, 'PUT', url, { key, body: { status: 'full' }, headers: { 'if-match': '"1"' } })).statusCode, 412, 'a stale If-Match')
  const bad = await call(app, 'PUT', url, { key, body: { status: 'full' }, headers: { 'if-match': 'three' } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: any) => e.header), ['if-match'])
  const current = await call(app, 'PUT', url, { key, body: { status: 'waiting_list', waiting_weeks: 8 }, headers: { 'if-match': '"3"' } })
  t.equal(current.statusCode, 200)
  t.equal(current.headers.etag, '"4"')
  const star = await call(app, 'PUT', url, { key: admin, body: { status: 'full' }, headers: { 'if-match': '*' } })
  t.equal(star.statusCode, 200, 'an admin may; If-Match: * is any version')
  t.same(Object.keys(star.json()).sort(), ['status', 'updated_at'], 'the figures of the last capacity are gone')
  const last = (await call(app, 'GET', `/v1/schemes/${s.id}/history?limit=1`)).json().items[0]
  t.match(last, { version: 5, action: 'update', actor: { role: 'admin' }, scheme: { capacity: { status: 'full' } } })
})

t.test('who may, and what is refused: nothing written by a refused request', async (t) => {
  const { app } = await build(t)
  const a = await createOrganisation(app)
  const b = await createOrganisation(app)
  const s = await createScheme(app, a.key)
  const url = `/v1/schemes/${s.id}/capacity`
  const reader = await createKey(app, a.admin, { role: 'reader', label: 'reader' })
  const before = await checksum(app)

  const other = await call(app, 'PUT', url, { key: b.key, body: { status: 'full' } })
  t.equal(other.statusCode, 403, 'another organisation\'s publisher')
  t.match(other.json().detail, /another organisation/)
  t.equal((await call(app, 'PUT', url, { key: reader.key, body: { status: 'full' } })).statusCode, 403, 'a reader')
  t.equal((await call(app, 'PUT', url, { body: { status: 'full' } })).statusCode, 401, 'no key')
  t.equal((await call(app, 'PUT', `/v1/schemes/${uuid}/capacity`, { key: a.key, body: { status: 'full' } })).statusCode, 404, 'an unknown scheme')
  const badId = await call(app, 'PUT', '/v1/schemes/123/capacity', { key: a.key, body: { status: 'full' } })
  t.same([badId.statusCode, badId.json().errors.map((e: any) => e.parameter)], [400, ['id']])

  // [what, body as sent, pointers]
  const cases: Array<[string, string, string[]]> = [
    ['status required', '{}', ['/status']],
    ['status known', '{"status": "open"}', ['/status']],
    ['status text', '{"status": 1}', ['/status']],
    ['an object', '["full"]', ['']],
    ['not null', 'null', ['']],
    ['negative places', '{"status": "places_available", "places": -1}', ['/places']],
    ['places 1e309', '{"status": "places_available", "places": 1e309}', ['/places']],
    ['places a fraction', '{"status": "places_available", "places": 1.5}', ['/places']],
    ['places as text', '{"status": "places_available", "places": "5"}', ['/places']],
    ['places over 10000', '{"status": "places_available", "places": 20000}', ['/places']],
    ['no places left is not places_available', '{"status": "places_available", "places": 0}', ['/places']],
    ['places only when available', '{"status": "waiting_list", "places": 3}', ['/places']],
    ['waiting_weeks only with a waiting list', '{"status": "full", "waiting_weeks": 3}', ['/waiting_weeks']],
    ['waiting_weeks over 104', '{"status": "waiting_list", "waiting_weeks": 200}', ['/waiting_weeks']],
    ['updated_at is the server\'s', '{"status": "full", "updated_at": "2026-12-01T00:00:00Z"}', ['/updated_at']],
    ['unknown field', '{"status": "full", "colour": "red"}', ['/colour']],
    ['every problem at once', '{"status": "full", "places": -1, "waiting_weeks": 300}', ['/places', '/waiting_weeks']],
  ]
  for (const [what, body, pointers] of cases) {
    const r = await call(app, 'PUT', url, { key: a.key, body })
    t.equal(r.statusCode, 400, `${what}: ${r.body}`)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    // a field may break more than one rule (a negative count where none belongs): each is said
    t.same([...new Set(r.json().errors.map((e: any) => e.pointer))].sort(), pointers, what)
  }
  t.match((await call(app, 'PUT', url, { key: a.key, body: '{"status": "full", "updated_at": "x"}' })).json().errors, [{ message: /read-only/ }])
  t.equal((await call(app, 'PUT', url, { key: a.key, body: '{"status": "places_available", "places": 007}' })).statusCode, 400, 'a padded 007 is not JSON')
  t.equal((await call(app, 'PUT', url, { key: a.key, body: 'status=full', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 415)
  t.equal(await checksum(app), before, 'nothing written')

  t.equal((await call(app, 'DELETE', `/v1/schemes/${s.id}`, { key: a.key, headers: { 'if-match': '"1"' } })).statusCode, 204)
  const gone = await call(app, 'PUT', url, { key: a.key, body: { status: 'full' } })
  t.equal(gone.statusCode, 410, 'a deleted scheme')
  t.match(gone.headers['content-type'], /^application\/problem\+json/)
})
