import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, once, weekly } from '../fixtures/api.ts'

// Issue 13 B: GET /v1/schemes/{id} and its history carry the venues its sessions meet at,
// each once, in first-use order, as GET /v1/venues/{id} shows them.

t.test('GET and history: the venues of the sessions, each once, in first-use order', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const hall = await createVenue(app, key, { name: 'Church Hall' })
  const park = await createVenue(app, key, { name: 'Park Gates' })
  const unused = await createVenue(app, key, { name: 'Not used' })
  const s = await createScheme(app, key, {
    delivery: ['in_person', 'online'], service_area: { type: 'national' },
    sessions: [weekly(park.id), once(null), weekly(hall.id, { days: ['thu'] }), weekly(park.id, { days: ['sat'] })],
  })
  const venueDoc = async (id: string) => (await call(app, 'GET', `/v1/venues/${id}`)).json()
  t.same(s.venues, [await venueDoc(park.id), await venueDoc(hall.id)], 'park first (session 0), then the hall; the remote session names none')
  t.notOk(s.venues.some((v: any) => v.id === unused.id))
  const url = `/v1/schemes/${s.id}`
  t.same((await call(app, 'GET', url)).json().venues, s.venues, 'GET as the create answered')

  // a venue's edit shows at once in GET (it is read with the request); the history keeps what was
  const renamed = await call(app, 'PATCH', `/v1/venues/${park.id}`, { key, body: { name: 'Park Gates (north)' }, headers: { 'if-match': '"1"' } })
  t.equal(renamed.statusCode, 200)
  const g = await call(app, 'GET', url)
  t.same(g.json().venues.map((v: any) => v.name), ['Park Gates (north)', 'Church Hall'])
  t.equal(g.headers.etag, '"1"', 'the scheme\'s version is unchanged by its venue\'s edit')

  const moved = await call(app, 'PATCH', url, { key, body: { sessions: [weekly(hall.id)] }, headers: { 'if-match': '"1"' } })
  t.equal(moved.statusCode, 200)
  t.same(moved.json().venues, [await venueDoc(hall.id)], 'the venues follow the sessions')
  const h = (await call(app, 'GET', `${url}/history`)).json()
  t.same(h.items.map((i: any) => i.scheme.venues.map((v: any) => v.name)), [['Church Hall'], ['Park Gates', 'Church Hall']],
    'each version with its venues as they then were')
  t.same(h.items[0].scheme, moved.json())

  // history kept before documents carried venues (migrations/0015): the venues as they are now
  await db.query("UPDATE scheme_history SET document = document - 'venues' WHERE scheme_id = $1 AND version = 1", [s.id])
  const legacy = (await call(app, 'GET', `${url}/history`)).json().items[1].scheme
  t.same(legacy.venues.map((v: any) => v.name), ['Park Gates (north)', 'Church Hall'])

  // a session that is over may keep a venue deleted since; the venue is then left out
  const past = await call(app, 'PATCH', url, { key, body: { sessions: [weekly(hall.id), weekly(park.id, { valid_from: '2025-01-07', valid_to: '2025-03-25' })] },
    headers: { 'if-match': '"2"' } })
  t.equal(past.statusCode, 200, past.body)
  t.same(past.json().venues.map((v: any) => v.name), ['Church Hall', 'Park Gates (north)'])
  t.equal((await call(app, 'DELETE', `/v1/venues/${park.id}`, { key, headers: { 'if-match': '"2"' } })).statusCode, 204)
  t.equal((await call(app, 'GET', `/v1/venues/${park.id}`)).statusCode, 410)
  const after = (await call(app, 'GET', url)).json()
  t.same(after.venues.map((v: any) => v.name), ['Church Hall'], 'a deleted venue is left out')
  t.equal(after.sessions[1].venue_id, park.id, 'its session still names it')

  // search items carry their matched venue, not the list
  const found = (await call(app, 'GET', `/v1/schemes?organisation_id=${s.organisation_id}`)).json().items
  t.equal(found.length, 1)
  t.notOk('venues' in found[0], 'search items leave the list out')
})

t.test('a scheme without sessions, or with remote ones only, has no venues', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const none = await createScheme(app, key, { sessions: [] })
  t.same(none.venues, [])
  const remote = await createScheme(app, key, { delivery: ['telephone'], service_area: { type: 'national' }, sessions: [weekly(null)] })
  t.same(remote.venues, [])
  t.same((await call(app, 'GET', `/v1/schemes/${remote.id}/history`)).json().items[0].scheme.venues, [])
})
