import t from 'tap'
import { sql } from 'drizzle-orm'
import { call, createKey, createOrganisation, createScheme } from '../fixtures/api.ts'
import { buildWithScheduler, testClock } from '../freshness/app.ts'

const remote = { delivery: ['online'], service_area: { type: 'national' }, sessions: [] }

t.test('an organisation\'s due list and the admin\'s freshness report, as JSON and CSV', async (t) => {
  const clock = testClock()
  const { app, db, scheduler } = await buildWithScheduler(t, {}, clock)
  const { organisation, key, admin } = await createOrganisation(app, { name: 'Due Org', email: 'due@charity.test' })
  const other = await createOrganisation(app, { name: '=Other Org' })
  const fresh = await createScheme(app, key, { name: 'Fresh', ...remote })
  const due = await createScheme(app, key, { name: 'Due', ...remote })
  const overdue = await createScheme(app, key, { name: 'Overdue', ...remote })
  const gone = await createScheme(app, key, { name: 'Gone', ...remote })
  await createScheme(app, other.key, { name: 'Elsewhere' })
  // ages on the test's clock, written as a confirmation long ago would have left them
  const age = (id: string, days: number) => db.query(sql`UPDATE schemes SET last_verified_at = ${clock().toISOString()}::timestamptz
    - make_interval(days => ${days}) WHERE id = ${id}`)
  await age(due.id, 100)
  await age(overdue.id, 200)
  await age(gone.id, 400)
  t.match(await scheduler.runOnce(), { unlisted: 1, reminders: 1 })
  await app.inject({ method: 'POST', url: `/v1/schemes/${overdue.id}/reports`, headers: { 'content-type': 'application/json' }, payload: '{"kind":"wrong_place"}' })

  const list = await call(app, 'GET', `/v1/organisations/${organisation.id}/due`, { key })
  t.equal(list.statusCode, 200)
  t.match(list.json().items, [
    { id: gone.id, name: 'Gone', state: 'unconfirmed', days_since_confirmed: 400, unlisted_at: String, last_reminder: { threshold: 170, sent_at: String } },
    { id: overdue.id, state: 'overdue', days_since_confirmed: 200, unlisted_at: null, open_reports: 1, last_reminder: { threshold: 170 } },
    { id: due.id, state: 'due', days_since_confirmed: 100, open_reports: 0, last_reminder: { threshold: 90 } },
  ])
  t.equal(list.json().items.length, 3, 'not the fresh one')
  t.notOk(list.json().items.some((i: any) => i.id === fresh.id))
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/due`, { key: other.key })).statusCode, 403)
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}/due`)).statusCode, 401)
  t.equal((await call(app, 'GET', '/v1/organisations/6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f/due', { key: admin })).statusCode, 404)

  const report = await call(app, 'GET', '/v1/insights/freshness', { key: admin })
  t.equal(report.statusCode, 200)
  const mine = report.json().by_organisation.find((r: any) => r.organisation_id === organisation.id)
  t.same(mine, { organisation_id: organisation.id, organisation_name: 'Due Org', schemes: 4, confirmed_within_90: 1, confirmed_within_180: 2,
    confirmed_within_365: 3, unconfirmed: 1, unlisted: 1, open_reports: 1 })
  t.match(report.json().by_local_authority, [{ local_authority_code: 'E09000028', local_authority_name: 'Southwark', schemes: 1 },
    { local_authority_code: null, local_authority_name: 'Remote (no venue)', schemes: 4 }], 'SE15 4AA is in Southwark')
  t.equal((await call(app, 'GET', '/v1/insights/freshness', { key })).statusCode, 403, 'admins only')
  const reader = await createKey(app, admin, { role: 'reader' })
  t.equal((await call(app, 'GET', '/v1/insights/freshness', { key: reader.key })).statusCode, 403)
  t.equal((await call(app, 'GET', '/v1/insights/freshness?format=xml', { key: admin })).statusCode, 400)

  const csv = await call(app, 'GET', '/v1/insights/freshness?format=csv', { key: admin })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  const lines = csv.body.trim().split('\n')
  t.equal(lines[0], 'grouping,key,name,schemes,confirmed_within_90,confirmed_within_180,confirmed_within_365,unconfirmed,unlisted,open_reports')
  t.ok(lines.includes(`organisation,${organisation.id},Due Org,4,1,2,3,1,1,1`))
  t.ok(lines.includes(`organisation,${other.organisation.id},'=Other Org,1,1,1,1,0,0,0`), 'a formula-like name is made safe')
  t.ok(lines.includes('local_authority,remote,Remote (no venue),4,1,2,3,1,1,1'))
  t.ok(lines.some((l) => l.startsWith('local_authority,E09000028,Southwark,1,')))
})
