import t from 'tap'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, monthly, once, weekly } from '../fixtures/api.ts'
import { failures, oaValidate, undocumentedWarnings } from '../formats/openactive/validator.ts'

const { RpdeValidator } = createRequire(import.meta.url)('@openactive/rpde-validator') as {
  RpdeValidator(url: string, options: Record<string, unknown>): Promise<{ pages: Array<{ url: string; errors: Array<Record<string, any>> }> }>
}

type Page = { items: Array<{ id: string; state: string; kind: string; modified: number; data?: any }>; next: string; license: string }

/** Every page from the start (or after `after`) to the last, empty one. */
async function walk(app: FastifyInstance, first = '/openactive/session-series?limit=2'): Promise<Page[]> {
  const pages: Page[] = []
  let url = first
  for (let i = 0; i < 50; i++) {
    const res = await app.inject(url)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    const page = res.json() as Page
    pages.push(page)
    if (page.items.length === 0) return pages
    const next = new URL(page.next)
    url = next.pathname + next.search
  }
  throw new Error('the feed did not end')
}

/** A directory with every case: activities in person, online and mixed, advice, a book club, a paused and a deleted activity. */
async function seed(app: FastifyInstance) {
  const { organisation, key } = await createOrganisation(app, { website: 'https://ryelanesingers.org.uk', phone: '020 7946 0958' })
  const hall = await createVenue(app, key, { name: 'Rye Lane Methodist Hall', accessibility: ['step_free', 'hearing_loop'] })
  const choir = await createScheme(app, key, { name: 'Rye Lane Community Choir', categories: ['music_singing'], min_age: 16,
    cost: { free: false, amount_pence: 300, per: 'session' }, sessions: [weekly(hall.id, { days: ['thu'], starts: '19:00', ends: '21:00', except_bank_holidays: true })],
    breaks: [{ from: '2027-08-01', to: '2027-08-31', reason: 'summer break' }] })
  const yoga = await createScheme(app, key, { name: 'Chair yoga online', categories: ['yoga_tai_chi'], delivery: ['online'], service_area: { type: 'national' },
    sessions: [weekly(null, { days: ['mon'], starts: '10:00', ends: '10:45' })] })
  const dance = await createScheme(app, key, { name: 'Tea dance', categories: ['dance', 'music_singing'], delivery: ['in_person', 'online'],
    service_area: { type: 'national' }, sessions: [monthly(hall.id, { days: ['fri'] }), once(null, { date: '2027-06-04' }), weekly(hall.id, { days: ['sun'], starts: '22:00', ends: '01:00' })] })
  const books = await createScheme(app, key, { name: 'Library book club', categories: ['book_club'], sessions: [weekly(hall.id)] })
  const debt = await createScheme(app, key, { name: 'Debt advice drop-in', categories: ['money_debt_advice'], sessions: [weekly(hall.id)] })
  const paused = await createScheme(app, key, { name: 'Park walk', categories: ['walking'], sessions: [weekly(hall.id)] })
  const gone = await createScheme(app, key, { name: 'Swim club', categories: ['swimming'], sessions: [weekly(hall.id)] })
  const ok = (res: { statusCode: number; body: string }, what: string) => { if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`) }
  ok(await call(app, 'PATCH', `/v1/schemes/${paused.id}`, { key, body: { status: 'paused' }, headers: { 'if-match': '*' } }), 'pause')
  ok(await call(app, 'DELETE', `/v1/schemes/${gone.id}`, { key, headers: { 'if-match': '*' } }), 'delete')
  return { organisation, key, hall, choir, yoga, dance, books, debt, paused, gone }
}

t.test('the SessionSeries feed: every scheme once, activities updated, the rest deleted, valid OpenActive data', async (t) => {
  const { app } = await build(t)
  const s = await seed(app)
  const pages = await walk(app)
  t.ok(pages.length >= 4, `${pages.length} pages of at most 2`)
  const items = pages.flatMap((p) => p.items)
  t.same(items.map((i) => i.id).sort(), [s.choir, s.yoga, s.dance, s.books, s.debt, s.paused, s.gone].map((x) => x.id).sort(), 'each scheme once')
  const modified = items.map((i) => i.modified)
  t.same(modified, [...modified].sort((a, b) => a - b), 'in change order')
  const state = Object.fromEntries(items.map((i) => [i.id, i.state]))
  t.same([s.choir, s.yoga, s.dance].map((x) => state[x.id]), ['updated', 'updated', 'updated'])
  t.same([s.books, s.debt, s.paused, s.gone].map((x) => state[x.id]), ['deleted', 'deleted', 'deleted', 'deleted'])
  for (const i of items) {
    t.equal(i.kind, 'SessionSeries')
    t.equal('data' in i, i.state === 'updated', `${i.id}: data exactly when updated`)
  }
  for (const p of pages) t.equal(p.license, 'https://creativecommons.org/licenses/by/4.0/')

  const choir = items.find((i) => i.id === s.choir.id)!.data
  t.match(choir, {
    '@context': 'https://openactive.io/', '@type': 'SessionSeries', '@id': `http://localhost:80/v1/schemes/${s.choir.id}`, name: 'Rye Lane Community Choir',
    activity: [{ prefLabel: 'Singing' }], eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: { '@type': 'Place', name: 'Rye Lane Methodist Hall', address: { addressRegion: 'England', addressCountry: 'GB' } },
    organizer: { '@type': 'Organization', name: s.organisation.name, url: 'https://ryelanesingers.org.uk', telephone: '020 7946 0958' },
    offers: [{ price: 3, priceCurrency: 'GBP' }], isAccessibleForFree: false, ageRange: { minValue: 16 },
    accessibilitySupport: [{ prefLabel: 'Physical impairment' }, { prefLabel: 'Hearing impairment' }],
    eventSchedule: [{ repeatFrequency: 'P1W', byDay: ['https://schema.org/Thursday'], scheduleTimezone: 'Europe/London' }],
  })
  // no Thursday in the break, but the bank holidays from its change on: Christmas Day 2031 is a Thursday
  t.ok(choir.eventSchedule[0].exceptDate.includes('2031-12-25'))
  t.match(items.find((i) => i.id === s.yoga.id)!.data, { eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode' })
  t.notOk('location' in items.find((i) => i.id === s.yoga.id)!.data)
  t.match(items.find((i) => i.id === s.dance.id)!.data, { eventAttendanceMode: 'https://schema.org/MixedEventAttendanceMode',
    eventSchedule: [{ repeatFrequency: 'P1M', byDay: ['-1FR'] }, { repeatFrequency: 'P1D', startDate: '2027-06-04' }, { endTime: '01:00', duration: 'PT3H' }] })

  // the data-model validator over each page with items (an RPDE page is one of its models)
  for (const p of pages.filter((x) => x.items.length)) {
    const found = await oaValidate(p)
    t.same(failures(found), [], `${p.next}: no failures`)
    t.same(undocumentedWarnings(found), [], `${p.next}: every warning explained in docs/openactive.md`)
  }
})

t.test('a change moves a scheme to the end; becoming an activity or leaving one changes its state', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const walkers = await createScheme(app, key, { name: 'Walkers', categories: ['walking'] })
  const readers = await createScheme(app, key, { name: 'Readers', categories: ['book_club'] })
  const [first] = await walk(app, '/openactive/session-series')
  t.same(first.items.map((i) => [i.id, i.state]), [[walkers.id, 'updated'], [readers.id, 'deleted']])
  const last = first.next
  const tail = new URL(last)
  t.same((await app.inject(tail.pathname + tail.search)).json().items, [], 'nothing after the last item')

  await call(app, 'PATCH', `/v1/schemes/${readers.id}`, { key, body: { categories: ['book_club', 'walking'] }, headers: { 'if-match': '*' } })
  await call(app, 'PATCH', `/v1/schemes/${walkers.id}`, { key, body: { status: 'ended' }, headers: { 'if-match': '*' } })
  const after = (await app.inject(tail.pathname + tail.search)).json() as Page
  t.same(after.items.map((i) => [i.id, i.state]), [[readers.id, 'updated'], [walkers.id, 'deleted']])
  t.ok(after.items[0].modified > first.items[1].modified)
})

t.test('the feed as the RPDE validator walks it over HTTP', async (t) => {
  const { app } = await build(t)
  await seed(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const log = await RpdeValidator(`http://127.0.0.1:${port}/openactive/session-series?limit=3`, { pageLimit: 10, timeoutMs: 5000 })
  t.ok(log.pages.length >= 3, `${log.pages.length} pages walked`)
  const errors = log.pages.flatMap((p) => p.errors.map((e) => ({ url: p.url, severity: e.severity, type: e.type, message: e.message })))
  t.same(errors.filter((e) => e.severity === 'failure'), [], 'no failures')
  // Two warnings that are the test's doing or the validator's: pages of 3 (the default is 500), and the
  // last page's max-age of 8, which the validator judges as a middle page's on its first request,
  // before it has seen that the page is the last (RPDE asks for 8 there: docs/openactive.md).
  const warned = errors.filter((e) => e.severity !== 'failure' && e.severity !== 'suggestion')
  const final = new URL((await walk(app, '/openactive/session-series?limit=3')).at(-1)!.next)
  const lastUrl = `http://127.0.0.1:${port}${final.pathname}${final.search}`
  t.same(warned.filter((e) => e.type !== 'minimum_items_per_page' && !(e.type === 'missing_cache_control' && e.url === lastUrl &&
    e.message.includes('"public, max-age=8"'))), [], 'no other warnings')
})

t.test('the feed\'s headers and bad parameters; the dataset site and data catalogue', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  await createScheme(app, key, { categories: ['running'] })
  const full = await app.inject('/openactive/session-series')
  t.equal(full.headers['cache-control'], 'public, max-age=3600')
  t.equal(full.headers['access-control-allow-origin'], '*')
  t.match(full.headers['content-type'], /^application\/json/)
  const next = new URL(full.json().next)
  const empty = await app.inject(next.pathname + next.search)
  t.equal(empty.headers['cache-control'], 'public, max-age=8')
  t.equal(empty.json().next, full.json().next, 'the last page points at itself')

  // tried: a word, a negative number, a decimal, 19 digits, limit 0 and 1001, an unknown parameter
  for (const [query, parameter] of [['afterChangeNumber=abc', 'afterChangeNumber'], ['afterChangeNumber=-1', 'afterChangeNumber'],
    ['afterChangeNumber=1.5', 'afterChangeNumber'], ['afterChangeNumber=1234567890123456789', 'afterChangeNumber'],
    ['limit=0', 'limit'], ['limit=1001', 'limit'], ['afterTimestamp=1', 'afterTimestamp']]) {
    const res = await app.inject(`/openactive/session-series?${query}`)
    t.equal(res.statusCode, 400, query)
    t.match(res.headers['content-type'], /^application\/problem\+json/, query)
    t.match(res.json().errors, [{ parameter }], query)
  }

  // the dataset site: JSON-LD for a client, a page with the same JSON-LD for a browser, and the data catalogue
  const ld = await app.inject('/openactive')
  t.equal(ld.statusCode, 200)
  t.match(ld.headers['content-type'], /^application\/ld\+json/)
  t.equal(ld.headers['access-control-allow-origin'], '*')
  const dataset = ld.json()
  t.match(dataset, { '@type': 'Dataset', '@id': 'http://localhost:80/openactive',
    distribution: [{ '@type': 'DataDownload', contentUrl: 'http://localhost:80/openactive/session-series' }] })
  const found = await oaValidate(dataset)
  t.same(failures(found), [])
  t.same(undocumentedWarnings(found), [])

  const page = await app.inject({ url: '/openactive', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const embedded = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)
  t.ok(embedded, 'the page embeds JSON-LD')
  t.same(JSON.parse(embedded![1]), dataset, 'the same Dataset')
  t.match(page.body, /href="http:\/\/localhost:80\/openactive\/session-series"/)

  const catalog = await app.inject('/openactive/data-catalog')
  t.match(catalog.json(), { '@type': 'DataCatalog', dataset: ['http://localhost:80/openactive'] })
  t.same(failures(await oaValidate(catalog.json())), [])
})
