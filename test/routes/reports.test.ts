import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helper.ts'
import { call, checksum, createKey, createOrganisation, createScheme } from '../fixtures/api.ts'

const report = (app: any, id: string, body: unknown, remoteAddress = '192.0.2.1') =>
  app.inject({ method: 'POST', url: `/v1/schemes/${id}/reports`, remoteAddress, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) })

t.test('the public reports without a key; the organisation lists and closes; nothing about the sender is kept', async (t) => {
  const { app, db } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const scheme = await createScheme(app, key, { name: 'Knit and Natter' })
  const r = await report(app, scheme.id, { kind: 'wrong_time', message: 'It is on Wednesdays now.' })
  t.equal(r.statusCode, 201, r.body)
  t.match(r.json(), { id: String, kind: 'wrong_time', created_at: String })
  t.same(Object.keys(r.json()).sort(), ['created_at', 'id', 'kind'])
  t.equal((await report(app, scheme.id, { kind: 'other' }, '192.0.2.2')).statusCode, 201, 'the message is optional')

  const list = await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`, { key })
  t.equal(list.statusCode, 200)
  t.match(list.json().items, [{ kind: 'other', message: null }, { kind: 'wrong_time', message: 'It is on Wednesdays now.', scheme_id: scheme.id,
    scheme_name: 'Knit and Natter', closed_at: null }])
  // the message is never shown publicly
  t.notMatch((await call(app, 'GET', `/v1/schemes/${scheme.id}`)).body, /Wednesdays now/)
  t.notMatch((await call(app, 'GET', `/find/schemes/${scheme.id}`)).body, /Wednesdays now/)
  // who may see them
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`)).statusCode, 401)
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`, { key: other.key })).statusCode, 403)
  const reader = await createKey(app, admin, { role: 'reader' })
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`, { key: reader.key })).statusCode, 403)
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`, { key: admin })).json().items.length, 2, 'an admin sees them')

  const id = r.json().id
  const closed = await call(app, 'POST', `/v1/organisations/${organisation.id}/reports/${id}/close`, { key })
  t.equal(closed.statusCode, 200)
  t.match(closed.json(), { id, closed_at: String })
  t.equal((await call(app, 'POST', `/v1/organisations/${organisation.id}/reports/${id}/close`, { key })).json().closed_at, closed.json().closed_at,
    'closing again changes nothing')
  t.equal((await call(app, 'POST', `/v1/organisations/${other.organisation.id}/reports/${id}/close`, { key: other.key })).statusCode, 404,
    'not another organisation\'s')
  t.same((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports`, { key })).json().items.map((i: any) => i.kind), ['other'])
  t.same((await call(app, 'GET', `/v1/organisations/${organisation.id}/reports?closed=true`, { key })).json().items.length, 2)

  // stored: the kind, the message, and a keyed digest: no address
  const rows = await db.query<Record<string, unknown>>(sql`SELECT * FROM scheme_reports WHERE scheme_id = ${scheme.id}`)
  t.notOk(JSON.stringify(rows).includes('192.0.2.1'), 'no address kept')
})

t.test('bad reports: 400 naming every bad field, nothing written; unknown and deleted schemes', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  const before = await checksum(app)
  // tried: kind missing, kind unknown, message too long, message empty, a field not in ReportWrite, not JSON, a form
  const cases: Array<[unknown, string[]]> = [
    [{}, ['/kind']],
    [{ kind: 'closed_forever', message: 'x'.repeat(1001) }, ['/kind', '/message']],
    [{ kind: 'other', message: '' }, ['/message']],
    [{ kind: 'other', email: 'me@example.org' }, ['/email']],
  ]
  for (const [body, pointers] of cases) {
    const r = await report(app, scheme.id, body)
    t.equal(r.statusCode, 400, JSON.stringify(body))
    t.same(r.json().errors.map((e: any) => e.pointer).sort(), pointers, JSON.stringify(body))
  }
  const text = await app.inject({ method: 'POST', url: `/v1/schemes/${scheme.id}/reports`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'kind=other' })
  t.equal(text.statusCode, 415)
  t.equal(await checksum(app), before, 'nothing written')
  t.equal((await report(app, '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', { kind: 'other' })).statusCode, 404)
  t.equal((await report(app, 'not-a-uuid', { kind: 'other' })).statusCode, 400)
  await call(app, 'DELETE', `/v1/schemes/${scheme.id}`, { key, headers: { 'if-match': '*' } })
  t.equal((await report(app, scheme.id, { kind: 'other' })).statusCode, 410)
})

t.test('reports are rate-limited per address', async (t) => {
  const { app } = await build(t, { REPORTS_PER_HOUR: '2' })
  const { key } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  t.equal((await report(app, scheme.id, { kind: 'other' })).statusCode, 201)
  t.equal((await report(app, scheme.id, { kind: 'other' })).statusCode, 201)
  const third = await report(app, scheme.id, { kind: 'other' })
  t.equal(third.statusCode, 429)
  t.equal(third.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.ok(Number(third.headers['retry-after']) > 0)
  t.equal((await report(app, scheme.id, { kind: 'other' }, '192.0.2.99')).statusCode, 201, 'another address is not held back')
})
