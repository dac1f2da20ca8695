import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, fortnightly, monthly, once, schemeBody, weekly } from '../fixtures/api.ts'

const uuid = '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'

/** Sessions as a write sends them: without the summary a read adds. */
const asWritten = (sessions: any[]) => sessions.map(({ summary: _, ...x }) => x)

t.test('a charity registers a scheme with weekly, fortnightly, monthly and one-off sessions', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app, { name: 'Peckham Walking Friends' })
  const hall = await createVenue(app, key, { name: 'Church Hall' })
  const park = await createVenue(app, key, { name: 'Park Gates' })
  const body = schemeBody({
    name: 'Evening Walks', description: 'Gentle walks and a cup of tea.',
    categories: ['walking', 'befriending'], needs: ['loneliness', 'physical_inactivity'], audience: ['older_people'],
    delivery: ['in_person', 'online'], service_area: { type: 'radius', center: { lat: 51.47, lon: -0.07 }, radius_m: 5000 },
    cost: { free: false, amount_pence: 200, per: 'session', concessions: 'Free for carers' }, min_age: 18, max_age: 120,
    self_referral: true, accepting_referrals: true, group_size: 'small', languages: ['en', 'bsl'],
    contact: { phone: '020 7946 0958', email: 'walks@example.org.uk', website: 'https://example.org.uk/walks' },
    accessibility: ['carer_free'], status: 'active',
    sessions: [
      weekly(hall.id, { days: ['tue', 'thu'], starts: '18:00', ends: '19:30', except_dates: ['2026-12-24', '2026-12-31'], notes: 'Meet inside' }),
      fortnightly(park.id, { valid_from: '2026-11-07', valid_to: '2027-06-30' }),
      monthly(hall.id, { days: ['tue', 'thu'], week_of_month: 2 }),
      once(null, { date: '2026-12-20', starts: '19:00', ends: '20:00', notes: 'Online carol singalong' }),
    ],
  })
  const r = await call(app, 'POST', '/v1/schemes', { key, body })
  t.equal(r.statusCode, 201, r.body)
  const doc = r.json()
  t.equal(r.headers.location, `/v1/schemes/${doc.id}`)
  t.equal(r.headers.etag, '"1"')
  const { sessions, ...rest } = body
  t.match(doc, { ...rest, id: String, organisation_id: organisation.id, organisation: { id: organisation.id, name: 'Peckham Walking Friends' }, version: 1, stale: false, last_verified_at: String, created_at: String, updated_at: String })
  t.same(asWritten(doc.sessions), sessions, 'every session back as written, in order')
  t.same(doc.sessions.map((x: any) => x.summary), ['Every Tuesday and Thursday, 6pm to 7:30pm, not on 24 December 2026 and 31 December 2026',
    'Every other Saturday, 10am to 12pm, from 7 November 2026 until 30 June 2027', 'Second Tuesday and Thursday of the month, 2pm to 4pm',
    'Sunday 20 December 2026, 7pm to 8pm'], 'each with its summary')
  const g = await call(app, 'GET', `/v1/schemes/${doc.id}`)
  t.equal(g.statusCode, 200)
  t.same(g.json(), doc, 'the create answered the scheme as GET shows it')
  t.equal(g.headers.etag, '"1"')
})

t.test('defaults for what a write leaves out; an admin names the organisation', async (t) => {
  const { app } = await build(t)
  const { organisation, admin } = await createOrganisation(app)
  // the least a listing can be (issue 12): a name, a description, a category, a delivery mode and a contact
  const minimal = { name: 'Minimal', description: 'Tea', categories: ['coffee_morning'], delivery: ['in_person'], contact: { phone: '020 7946 0958' } }
  const r = await call(app, 'POST', '/v1/schemes', { key: admin, body: { organisation_id: organisation.id, ...minimal } })
  t.equal(r.statusCode, 201)
  t.match(r.json(), {
    organisation_id: organisation.id, name: 'Minimal', description: 'Tea', categories: ['coffee_morning'], needs: [], audience: [], delivery: ['in_person'],
    cost: { free: true }, self_referral: false, accepting_referrals: true, languages: ['en'], contact: { phone: '020 7946 0958' }, accessibility: [], status: 'active', sessions: [],
  })
  const missing = await call(app, 'POST', '/v1/schemes', { key: admin, body: { ...minimal, name: 'No organisation' } })
  t.match(missing.json().errors, [{ pointer: '/organisation_id', message: /required with an admin key/ }])
})

t.test('GET: 400 for a bad id, 404 unknown, 410 deleted', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const s = await createScheme(app, key)
  const bad = await call(app, 'GET', '/v1/schemes/123')
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: any) => e.parameter), ['id'])
  t.equal((await call(app, 'GET', `/v1/schemes/urn:uuid:${uuid}`)).statusCode, 400)
  t.equal((await call(app, 'GET', `/v1/schemes/${uuid}`)).statusCode, 404)
  t.equal((await call(app, 'DELETE', `/v1/schemes/${s.id}`, { key, headers: { 'if-match': '"1"' } })).statusCode, 204)
  const gone = await call(app, 'GET', `/v1/schemes/${s.id}`)
  t.equal(gone.statusCode, 410)
  t.match(gone.json(), { type: '/problems/gone', detail: /history/ })
})

t.test('PUT replaces the document, sessions included; PATCH merges; both need If-Match', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const v = await createVenue(app, key)
  const s = await createScheme(app, key, { min_age: 18, contact: { phone: '020 7946 0958' }, sessions: [weekly(v.id), monthly(v.id)] })
  const url = `/v1/schemes/${s.id}`

  // a PUT needs a listing's required fields (issue 12); the optional ones it leaves out are gone
  const site = 'https://example.org.uk'
  const put = await call(app, 'PUT', url, { key, body: { name: 'Replaced', description: 'Replaced whole', categories: ['cookery'], delivery: ['in_person'], contact: { website: site }, sessions: [once(v.id)] }, headers: { 'if-match': '"1"' } })
  t.equal(put.statusCode, 200, put.body)
  t.equal(put.headers.etag, '"2"')
  const p = put.json()
  t.equal(p.version, 2)
  t.equal(p.name, 'Replaced')
  t.notOk('min_age' in p, 'fields left out are gone')
  t.same(p.contact, { website: site }, 'the contact replaced whole: no phone')
  t.same(p.needs, [])
  t.same(asWritten(p.sessions), [once(v.id)], 'sessions replaced')
  t.equal(p.created_at, s.created_at)
  t.ok(p.updated_at >= s.updated_at)

  const patch = await call(app, 'PATCH', url, {
    key, headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"2"' },
    body: { description: 'Now with tea', cost: { free: false, amount_pence: 150 }, contact: { email: 'a@b.org.uk' }, sessions: [weekly(v.id, { days: ['sat'] })] },
  })
  t.equal(patch.statusCode, 200, patch.body)
  const q = patch.json()
  t.equal(q.version, 3)
  t.equal(q.name, 'Replaced', 'untouched fields stay')
  t.same(q.cost, { free: false, amount_pence: 150 })
  t.same(asWritten(q.sessions), [weekly(v.id, { days: ['sat'] })], 'an array in a merge patch replaces the whole array')
  const unset = await call(app, 'PATCH', url, { key, body: { contact: { email: null }, cost: { amount_pence: null, free: true } }, headers: { 'if-match': '"3"' } })
  t.same([unset.json().contact, unset.json().cost], [{ website: site }, { free: true }], 'null removes, nested')
  t.same((await call(app, 'GET', url)).json(), unset.json())

  t.equal((await call(app, 'PUT', url, { key, body: schemeBody({ name: 'x' }) })).statusCode, 428)
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' } })).statusCode, 428)
  t.equal((await call(app, 'PUT', url, { key, body: schemeBody({ name: 'x' }), headers: { 'if-match': '"1"' } })).statusCode, 412)
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'x' }, headers: { 'if-match': '"3"' } })).statusCode, 412)
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'Star' }, headers: { 'if-match': '*' } })).statusCode, 200, 'If-Match: * means any current version')
  t.equal((await call(app, 'PUT', `/v1/schemes/${uuid}`, { key, body: schemeBody({ name: 'x' }), headers: { 'if-match': '"1"' } })).statusCode, 404)
})

t.test('a GET document can be edited and sent back once the read-only fields are dropped', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const s = await createScheme(app, key, { delivery: ['in_person', 'telephone'], service_area: { type: 'national' },
    referral: { methods: ['phone'], phone: '020 7946 0958', accepted_from: ['gp', 'self'] }, capacity: { status: 'waiting_list', waiting_weeks: 3 } })
  const g = await call(app, 'GET', `/v1/schemes/${s.id}`)
  const { id, version, created_at, updated_at, last_verified_at, stale, organisation, organisation_id, venues, schedule_summary, ...rest } = g.json()
  const writable = { ...rest, sessions: asWritten(rest.sessions) }
  const echo = await call(app, 'PUT', `/v1/schemes/${s.id}`, { key, body: g.json(), headers: { 'if-match': g.headers.etag as string } })
  t.equal(echo.statusCode, 400)
  t.same(echo.json().errors.map((e: any) => e.pointer).sort(), ['/capacity/updated_at', '/created_at', '/id', '/last_verified_at', '/organisation',
    '/organisation_id', '/schedule_summary', '/sessions/0/summary', '/stale', '/updated_at', '/venues', '/version'])
  t.ok(echo.json().errors.every((e: any) => /read-only/.test(e.message)), 'each named as read-only')
  delete writable.capacity.updated_at
  const ok = await call(app, 'PUT', `/v1/schemes/${s.id}`, { key, body: writable, headers: { 'if-match': g.headers.etag as string } })
  t.equal(ok.statusCode, 200)
  const after = ok.json()
  t.same({ ...after, version: 0, updated_at: '', last_verified_at: '' }, { ...g.json(), version: 0, updated_at: '', last_verified_at: '' }, 'the same document back')
})

t.test('verify stamps last_verified_at and makes a version; stale after 180 days', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const s = await createScheme(app, key)
  await db.query("UPDATE schemes SET last_verified_at = now() - interval '200 days' WHERE id = $1", [s.id])
  t.equal((await call(app, 'GET', `/v1/schemes/${s.id}`)).json().stale, true)
  const r = await call(app, 'POST', `/v1/schemes/${s.id}/verify`, { key })
  t.equal(r.statusCode, 200)
  t.equal(r.headers.etag, '"2"')
  t.match(r.json(), { version: 2, stale: false })
  t.ok(r.json().last_verified_at > s.last_verified_at)
  t.equal(r.json().updated_at, s.updated_at, 'verifying is not editing')
  t.equal((await call(app, 'POST', `/v1/schemes/${s.id}/verify`, { key, headers: { 'if-match': '"1"' } })).statusCode, 412, 'If-Match is honoured when sent')
  t.equal((await call(app, 'POST', `/v1/schemes/${uuid}/verify`, { key })).statusCode, 404)
})

t.test('history: every version newest first, who and when, the scheme as it stood; kept after delete', async (t) => {
  const { app } = await build(t)
  const { organisation, key, keyId, admin } = await createOrganisation(app)
  const s = await createScheme(app, key, { name: 'v1' })
  const url = `/v1/schemes/${s.id}`
  t.equal((await call(app, 'PATCH', url, { key, body: { name: 'v2' }, headers: { 'if-match': '"1"' } })).statusCode, 200)
  t.equal((await call(app, 'POST', `${url}/verify`, { key: admin })).statusCode, 200)
  t.equal((await call(app, 'PUT', url, { key, body: schemeBody({ name: 'v4', sessions: [] }), headers: { 'if-match': '"3"' } })).statusCode, 200)
  t.equal((await call(app, 'DELETE', url, { key, headers: { 'if-match': '"4"' } })).statusCode, 204)
  const h = await call(app, 'GET', `${url}/history`)
  t.equal(h.statusCode, 200)
  t.ok(h.headers.etag)
  const items = h.json().items
  t.same(items.map((i: any) => [i.version, i.action, i.scheme.version, i.scheme.name]), [
    [5, 'delete', 5, 'v4'], [4, 'update', 4, 'v4'], [3, 'verify', 3, 'v2'], [2, 'update', 2, 'v2'], [1, 'create', 1, 'v1'],
  ])
  const adminId = items[2].actor.key_id
  t.not(adminId, keyId)
  t.same(items.map((i: any) => i.actor.role), ['publisher', 'publisher', 'admin', 'publisher', 'publisher'])
  t.same(items[0].actor, { key_id: keyId, role: 'publisher' })
  t.same(items[4].scheme, s, 'version 1 is the scheme exactly as created')
  t.match(items[3].scheme, { organisation: { id: organisation.id }, sessions: Array })
  t.ok(items.every((i: any) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(i.changed_at)))
  const page = await call(app, 'GET', `${url}/history?limit=2`)
  t.same(page.json().items.map((i: any) => i.version), [5, 4])
  const next = await call(app, 'GET', `${url}/history?limit=2&cursor=${page.json().next_cursor}`)
  t.same(next.json().items.map((i: any) => i.version), [3, 2])
  t.equal((await call(app, 'GET', `/v1/schemes/${uuid}/history`)).statusCode, 404)
})

t.test('deleting: If-Match needed, soft, 204, and then 410 for every write', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const s = await createScheme(app, key)
  const url = `/v1/schemes/${s.id}`
  t.equal((await call(app, 'DELETE', url, { key })).statusCode, 428)
  t.equal((await call(app, 'DELETE', url, { key, headers: { 'if-match': '"9"' } })).statusCode, 412)
  const d = await call(app, 'DELETE', url, { key, headers: { 'if-match': '"1"' } })
  t.equal(d.statusCode, 204)
  t.equal(d.body, '')
  const [row] = await db.query<{ deleted: boolean; sessions: number }>('SELECT deleted_at IS NOT NULL AS deleted, (SELECT count(*) FROM sessions WHERE scheme_id = $1) AS sessions FROM schemes WHERE id = $1', [s.id])
  t.same(row, { deleted: true, sessions: 1 }, 'the row and its sessions stay')
  for (const [method, body] of [['PUT', { name: 'x' }], ['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
    t.equal((await call(app, method, url, { key, body, headers: { 'if-match': '"2"' } })).statusCode, 410, method)
  }
  t.equal((await call(app, 'POST', `${url}/verify`, { key })).statusCode, 410)
})
