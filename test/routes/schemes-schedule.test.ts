/**
 * A scheme's breaks and a session's except_bank_holidays through the API (issue 13): written,
 * read back with the summaries made on reading (GET, history, ORUK), refused with a pointer per
 * bad field, and a venue's bank-holiday calendar from its postcode's nation.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, schemeBody, weekly } from '../fixtures/api.ts'

const SUMMER = { from: '2027-08-01', to: '2027-08-31', reason: 'summer break' }
const EDINBURGH = { address: { line1: '1 High Street', town: 'Edinburgh', postcode: 'EH1 1YZ' }, location: { lat: 55.9497, lon: -3.1883 } }

t.test('breaks and except_bank_holidays are kept, and every reader shows the summaries', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const scheme = await createScheme(app, key, {
    breaks: [SUMMER, { from: '2026-12-24', to: '2027-01-02' }],
    sessions: [weekly(venue.id, { days: ['mon'], starts: '18:00', ends: '19:30', except_bank_holidays: true }),
      weekly(venue.id, { days: ['fri'], starts: '20:00', ends: '22:00' })],
  })
  const first = 'Every Monday, 6pm to 7:30pm, not on bank holidays, not 24 December 2026 to 2 January 2027 and 1 August to 31 August 2027 (summer break)'
  const second = 'Every Friday, 8pm to 10pm, not 24 December 2026 to 2 January 2027 and 1 August to 31 August 2027 (summer break)'
  t.same(scheme.breaks, [SUMMER, { from: '2026-12-24', to: '2027-01-02' }], 'the breaks as written, in their order')
  t.same(scheme.sessions.map((s: any) => [s.except_bank_holidays, s.summary]), [[true, first], [undefined, second]],
    'except_bank_holidays shown when true; each session with its summary')
  t.equal(scheme.schedule_summary, 'Mondays and Fridays, evenings')

  const got = await call(app, 'GET', `/v1/schemes/${scheme.id}`)
  t.same(got.json(), scheme, 'GET shows what the create answered')

  // a PATCH merges into the stored document, not the one with its summaries
  const patched = await call(app, 'PATCH', `/v1/schemes/${scheme.id}`, { key, body: { name: 'Renamed' }, headers: { 'if-match': got.headers.etag as string } })
  t.equal(patched.statusCode, 200, patched.body)
  t.same(patched.json().sessions.map((s: any) => s.summary), [first, second])
  const dropped = await call(app, 'PATCH', `/v1/schemes/${scheme.id}`, { key, body: { breaks: null }, headers: { 'if-match': '"2"' } })
  t.same(dropped.json().sessions.map((s: any) => s.summary), ['Every Monday, 6pm to 7:30pm, not on bank holidays', 'Every Friday, 8pm to 10pm'])
  t.notOk('breaks' in dropped.json(), 'no breaks: the field is absent')

  // history: stored without the texts, shown with them
  const history = (await call(app, 'GET', `/v1/schemes/${scheme.id}/history`)).json()
  t.same(history.items.map((h: any) => h.scheme.sessions[0].summary), ['Every Monday, 6pm to 7:30pm, not on bank holidays', first, first])
  t.same(history.items.map((h: any) => h.scheme.schedule_summary), ['Mondays and Fridays, evenings', 'Mondays and Fridays, evenings',
    'Mondays and Fridays, evenings'])
  const stored = await db.query<{ text: string }>(sql`SELECT document::text AS text FROM scheme_history WHERE scheme_id = ${scheme.id}`)
  t.notOk(stored.some((r) => /summary/.test(r.text)), 'no summary is stored')

  // ORUK: the schedule rows' description is the summary
  const oruk = (await call(app, 'GET', `/oruk/services/${scheme.id}`)).json()
  t.same(oruk.schedules.map((s: any) => s.description), ['Every Monday, 6pm to 7:30pm, not on bank holidays', 'Every Friday, 8pm to 10pm'])
})

t.test('a write may not send the summaries; the GET document minus them is a good PUT', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  const put = await call(app, 'PUT', `/v1/schemes/${scheme.id}`, { key, body: { ...schemeBody(), schedule_summary: 'x', sessions: scheme.sessions },
    headers: { 'if-match': '"1"' } })
  t.equal(put.statusCode, 400)
  t.same(put.json().errors, [
    { pointer: '/schedule_summary', message: 'is read-only: the server sets it' },
    { pointer: '/sessions/0/summary', message: 'is read-only: the server sets it' },
  ])
  const { summary: _, ...session } = scheme.sessions[0]
  const ok = await call(app, 'PUT', `/v1/schemes/${scheme.id}`, { key, body: { ...schemeBody(), sessions: [session] }, headers: { 'if-match': '"1"' } })
  t.equal(ok.statusCode, 200, ok.body)
})

t.test('bad breaks: one 400 naming each field', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const res = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ breaks: [
    { from: '2027-08-01', to: '2027-08-31' },
    { from: '2027-02-30', to: '2027-03-01' },
    { from: '2027-08-31', to: '2027-08-01' },
    { from: '1800-01-01', to: '2027-01-01' },
    { from: '2027-01-01', to: '2027-01-02', reason: 'x'.repeat(201) },
    { from: '2027-01-01', to: '2027-01-02', why: 'holiday' },
    { to: '2027-01-02' },
  ] }) })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  const byPointer = (a: { pointer: string }, b: { pointer: string }) => (a.pointer < b.pointer ? -1 : 1)
  t.same(res.json().errors.sort(byPointer), [
    { pointer: '/breaks/1/from', message: 'must be a date, YYYY-MM-DD' },
    { pointer: '/breaks/2/to', message: 'must be on or after from (a break\'s dates are both included)' },
    { pointer: '/breaks/3/from', message: 'must be a date from 1900-01-01 to 2999-12-31' },
    { pointer: '/breaks/4/reason', message: 'must be at most 200 characters' },
    { pointer: '/breaks/5/why', message: 'unknown field' },
    { pointer: '/breaks/6/from', message: 'is required' },
  ])
  const many = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ breaks: Array.from({ length: 51 }, () => SUMMER) }) })
  t.same(many.json().errors, [{ pointer: '/breaks', message: 'must list at most 50' }])
  const flag = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ sessions: [weekly(null, { except_bank_holidays: 'yes' })],
    delivery: ['online'], service_area: { type: 'national' } }) })
  t.same(flag.json().errors, [{ pointer: '/sessions/0/except_bank_holidays', message: 'must be boolean' }])
})

t.test('a venue keeps the bank holidays of its postcode\'s nation, on create and on a new postcode', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const london = await createVenue(app, key)
  const edinburgh = await createVenue(app, key, EDINBURGH)
  const region = async (id: string) => (await db.query<{ r: string }>(sql`SELECT holiday_region AS r FROM venues WHERE id = ${id}`))[0].r
  t.equal(await region(london.id), 'GB-EAW')
  t.equal(await region(edinburgh.id), 'GB-SCT')
  const moved = await call(app, 'PATCH', `/v1/venues/${london.id}`, { key, body: { address: { postcode: 'G1 1XQ' }, location: { lat: 55.8609, lon: -4.2514 } },
    headers: { 'if-match': '"1"' } })
  t.equal(moved.statusCode, 200, moved.body)
  t.equal(await region(london.id), 'GB-SCT', 'moved to Glasgow')
})

t.test('an Idempotency-Key replay kept before summaries existed is answered with them', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const body = schemeBody({ sessions: [weekly(venue.id)] })
  const headers = { 'idempotency-key': 'replay-before-summaries' }
  const first = await call(app, 'POST', '/v1/schemes', { key, body, headers })
  t.equal(first.statusCode, 201)
  // the stored answer as an older version kept it: no texts
  await db.query(sql`UPDATE idempotency_keys SET body = jsonb_set(body - 'schedule_summary', '{sessions}',
    (SELECT jsonb_agg(x - 'summary') FROM jsonb_array_elements(body -> 'sessions') AS x))`)
  const again = await call(app, 'POST', '/v1/schemes', { key, body, headers })
  t.equal(again.statusCode, 201, again.body)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json())
})
