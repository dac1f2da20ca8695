/**
 * GET /v1/schemes/{id}.ics and GET /v1/organisations/{id}/schemes.ics over HTTP (app.inject),
 * on both databases. The feeds are parsed and expanded with node-ical, an independent
 * parser, and compared with GET /v1/schemes' next_occurrences and with the schedule rules
 * (nextOccurrences, src/domain/schedule.ts) for 60 days, with the app's clock pinned before
 * each of 2027's clock changes (28 March, 31 October). Bad inputs tried: an id that is not a
 * UUID (with and without .ics), an unknown scheme and organisation, a deleted scheme, no key
 * where reads need one.
 */
import t from 'tap'
import ical, { type VEvent } from 'node-ical'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { nextOccurrences, type SessionRule } from '../../src/domain/schedule.ts'
import { freshDb, TEST_LIMITS } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, fortnightly, monthly, once, weekly } from '../fixtures/api.ts'

const DAY_MS = 86_400_000
const MARCH = new Date('2027-03-20T12:00:00Z')
const OCTOBER = new Date('2027-10-16T12:00:00Z')
const EDINBURGH = { address: { line1: '28 Ferry Road', town: 'Edinburgh', postcode: 'EH6 4AE' }, location: { lat: 55.9741, lon: -3.1821 } }

/** The whole app on a fresh database with its clock at `clock.now`, which a test may move. */
async function pinned(t: { teardown(fn: () => unknown): void }, clock: { now: Date }) {
  const db = await freshDb(t)
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS }), { db, now: () => clock.now })
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const events = (text: string): VEvent[] => Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT')

/** Every start node-ical finds in the feed strictly after `now` and within 60 days, ascending, each once. */
function starts(text: string, now: Date): string[] {
  const to = new Date(now.getTime() + 60 * DAY_MS)
  const all = events(text).filter((e) => !e.recurrenceid).flatMap((e) => ical.expandRecurringEvent(e, { from: now, to }))
    .map((i) => i.start.getTime()).filter((x) => x > now.getTime() && x <= to.getTime())
  return [...new Set(all)].sort((a, b) => a - b).map((x) => new Date(x).toISOString())
}

const iso = (xs: string[]) => xs.map((x) => new Date(x).toISOString())

// One app for the tests below that pin its clock (each makes its own organisation and rows): starting one is most of a test's time.
const clock = { now: MARCH }
const app = await pinned(t, clock)

t.test('each feed is the search\'s next_occurrences and the schedule\'s 60 days, before both clock changes', async (t) => {
  clock.now = MARCH
  const { key } = await createOrganisation(app)
  const hall = await createVenue(app, key)
  const leith = await createVenue(app, key, EDINBURGH)
  const regions: Record<string, 'GB-EAW' | 'GB-SCT'> = { [hall.id]: 'GB-EAW', [leith.id]: 'GB-SCT' }
  const make = (name: string, sessions: object[], extra = {}) => createScheme(app, key, { name, sessions, ...extra })
  const schemes = [
    await make('Night line', [weekly(hall.id, { days: ['sat'], starts: '22:00', ends: '02:00', except_dates: ['2027-04-03', '2027-10-23'] })]),
    await make('Small hours', [weekly(hall.id, { days: ['sun'], starts: '01:30', ends: '03:00' })]),
    await make('Fortnightly walk', [fortnightly(hall.id, { days: ['sun', 'wed'], valid_from: '2027-01-06' })],
      { breaks: [{ from: '2027-04-05', to: '2027-04-16', reason: 'Easter' }, { from: '2027-10-25', to: '2027-10-29' }] }),
    await make('Last Friday', [monthly(hall.id, { days: ['fri'], week_of_month: -1 })]),
    await make('Second Tuesday and Thursday', [monthly(hall.id, { days: ['tue', 'thu'], week_of_month: 2, starts: '18:30', ends: '20:00' })]),
    await make('Mondays in London', [weekly(hall.id, { days: ['mon'], except_bank_holidays: true })]),
    await make('Mondays in Leith', [weekly(leith.id, { days: ['mon'], except_bank_holidays: true })]),
    await make('Open days', [once(hall.id, { date: '2027-04-24' }), once(hall.id, { date: '2027-11-13', starts: '01:00', ends: '02:00' })]),
  ]
  for (const now of [MARCH, OCTOBER]) {
    clock.now = now
    // this test runs first on the shared app: its schemes are all there are
    const search = await call(app, 'GET', '/v1/schemes?limit=50')
    t.equal(search.statusCode, 200, search.body)
    const next = new Map<string, string[]>(search.json().items.map((i: any) => [i.id, i.next_occurrences]))
    for (const s of schemes) {
      const res = await call(app, 'GET', `/v1/schemes/${s.id}.ics`)
      t.equal(res.statusCode, 200, res.body)
      const got = starts(res.body, now)
      const doc = (await call(app, 'GET', `/v1/schemes/${s.id}`)).json()
      const want = nextOccurrences(doc.sessions as SessionRule[], now, { count: 1000, exceptions: { breaks: doc.breaks, regions } })
      t.same(got, iso(want), `${s.name} at ${now.toISOString()}: the schedule's 60 days`)
      t.same(got.slice(0, 3), iso(next.get(s.id) ?? []), `${s.name} at ${now.toISOString()}: the search's next_occurrences`)
    }
  }
  // by hand, for the record: Easter Monday (29 March) is a bank holiday in England and Wales only; 3 May in both
  clock.now = MARCH
  const monday = (i: number) => call(app, 'GET', `/v1/schemes/${schemes[i].id}.ics`).then((r) => starts(r.body, MARCH).slice(0, 4).map((x) => x.slice(0, 10)))
  t.same(await monday(5), ['2027-03-22', '2027-04-05', '2027-04-12', '2027-04-19'])
  t.same(await monday(6), ['2027-03-22', '2027-03-29', '2027-04-05', '2027-04-12'])
})

t.test('headers, ETag and 304, stable UIDs, SEQUENCE rising with each edit', async (t) => {
  clock.now = MARCH
  const { key } = await createOrganisation(app)
  const scheme = await createScheme(app, key, { name: 'Choir' })
  const url = `/v1/schemes/${scheme.id}.ics`
  const first = await call(app, 'GET', url)
  t.equal(first.statusCode, 200)
  t.equal(first.headers['content-type'], 'text/calendar; charset=utf-8')
  t.equal(first.headers['content-disposition'], `inline; filename="scheme-${scheme.id}.ics"`)
  t.equal(first.headers['cache-control'], 'no-cache')
  t.match(first.headers.etag, /^"h[\w-]+"$/)
  t.match(first.body, /^BEGIN:VCALENDAR\r\n/)
  const again = await call(app, 'GET', url)
  t.equal(again.body, first.body, 'the same scheme on the same day is the same text')
  t.equal(again.headers.etag, first.headers.etag)
  const notModified = await call(app, 'GET', url, { headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.body, '')
  const head = await app.inject({ method: 'HEAD', url })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-type'], 'text/calendar; charset=utf-8')

  const [before] = events(first.body)
  t.equal(Number(before.sequence), 1)
  const patched = await call(app, 'PATCH', `/v1/schemes/${scheme.id}`, { key, body: { name: 'Rye Lane Choir' }, headers: { 'if-match': '"1"' } })
  t.equal(patched.statusCode, 200, patched.body)
  const after = await call(app, 'GET', url)
  const [edited] = events(after.body)
  t.equal(edited.uid, before.uid, 'the session keeps its UID')
  t.equal(Number(edited.sequence), 2, 'SEQUENCE is the scheme\'s version')
  t.equal(edited.summary, 'Rye Lane Choir')
  t.not(after.headers.etag, first.headers.etag)
  t.equal((await call(app, 'GET', url, { headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 200)

  clock.now = new Date(MARCH.getTime() + DAY_MS)
  const tomorrow = await call(app, 'GET', url)
  t.equal(events(tomorrow.body)[0].uid, before.uid, 'and keeps it from day to day')
})

t.test('an organisation\'s feed lists the sessions of its active schemes', async (t) => {
  clock.now = MARCH
  const { organisation, key } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const hall = await createVenue(app, key)
  const make = (name: string, extra = {}) => createScheme(app, key, { name, sessions: [weekly(hall.id), monthly(hall.id)], ...extra })
  const b = await make('B choir')
  const a = await make('A walk')
  const paused = await make('C paused', { status: 'paused' })
  const gone = await make('D deleted')
  const arranged = await createScheme(app, key, { name: 'E by arrangement', by_arrangement: true, delivery: ['telephone'], sessions: [],
    service_area: { type: 'national' } })
  await createScheme(app, other.key, { name: 'Elsewhere' })
  t.equal((await call(app, 'DELETE', `/v1/schemes/${gone.id}`, { key, headers: { 'if-match': '"1"' } })).statusCode, 204)

  const res = await call(app, 'GET', `/v1/organisations/${organisation.id}/schemes.ics`)
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.headers['content-type'], 'text/calendar; charset=utf-8')
  t.equal(res.headers['content-disposition'], `inline; filename="organisation-${organisation.id}.ics"`)
  t.match(res.body, new RegExp(`X-WR-CALNAME:${organisation.name}\r\n`))
  t.same(events(res.body).map((e) => `${e.summary} ${e.uid}`), [
    `A walk ${a.id}-session-1@signpost`, `A walk ${a.id}-session-2@signpost`, `B choir ${b.id}-session-1@signpost`, `B choir ${b.id}-session-2@signpost`,
  ])

  // the scheme's own feed: a paused scheme and one by arrangement have none
  for (const s of [paused, arranged]) {
    const own = await call(app, 'GET', `/v1/schemes/${s.id}.ics`)
    t.equal(own.statusCode, 200)
    t.match(own.body, /^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r?\n?$/)
    t.equal(events(own.body).length, 0, `${s.name}: no events`)
  }
  const empty = await createOrganisation(app)
  const none = await call(app, 'GET', `/v1/organisations/${empty.organisation.id}/schemes.ics`)
  t.equal(none.statusCode, 200)
  t.equal(events(none.body).length, 0, 'an organisation with no schemes: a calendar with no events')
})

t.test('bad ids, unknown and deleted records are problem+json; the JSON routes beside them still answer', async (t) => {
  clock.now = MARCH
  const { organisation, key } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  const problem = async (url: string, status: number) => {
    const res = await call(app, 'GET', url)
    t.equal(res.statusCode, status, `${url}: ${res.body}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, url)
    return res.json()
  }
  t.match((await problem('/v1/schemes/not-a-uuid.ics', 400)).errors, [{ parameter: 'id' }])
  t.match((await problem('/v1/schemes/.ics', 400)).errors, [{ parameter: 'id' }])
  t.match((await problem('/v1/schemes/not-a-uuid', 400)).errors, [{ parameter: 'id' }])
  t.match((await problem('/v1/organisations/nope/schemes.ics', 400)).errors, [{ parameter: 'id' }])
  await problem('/v1/schemes/0d5b1f3e-8c2a-4f6b-9e1d-7a3c5b2e4f60.ics', 404)
  await problem('/v1/organisations/0d5b1f3e-8c2a-4f6b-9e1d-7a3c5b2e4f60/schemes.ics', 404)

  const json = await call(app, 'GET', `/v1/schemes/${scheme.id}`)
  t.equal(json.statusCode, 200)
  t.match(json.headers['content-type'], /^application\/json/)
  t.equal(json.json().id, scheme.id)
  t.equal((await call(app, 'GET', `/v1/schemes/${scheme.id}/history`)).statusCode, 200)
  t.equal((await call(app, 'GET', `/v1/organisations/${organisation.id}`)).statusCode, 200)

  t.equal((await call(app, 'DELETE', `/v1/schemes/${scheme.id}`, { key, headers: { 'if-match': '"1"' } })).statusCode, 204)
  await problem(`/v1/schemes/${scheme.id}.ics`, 410)
})

t.test('with READS_REQUIRE_KEY a feed needs a key like any read', async (t) => {
  // a second app over the same database, that needs keys for reads
  const keyed = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS, READS_REQUIRE_KEY: 'true' }), { db: app.db })
  await keyed.ready()
  t.teardown(() => keyed.close())
  const { key } = await createOrganisation(keyed)
  const scheme = await createScheme(keyed, key)
  const without = await call(keyed, 'GET', `/v1/schemes/${scheme.id}.ics`)
  t.equal(without.statusCode, 401)
  t.match(without.headers['content-type'], /^application\/problem\+json/)
  const withKey = await call(keyed, 'GET', `/v1/schemes/${scheme.id}.ics`, { key })
  t.equal(withKey.statusCode, 200)
  t.equal(events(withKey.body).length, 1)
})
