import t from 'tap'
import { RpdeValidator } from '@openactive/rpde-validator'
import { build, DB_KIND } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'

// A consumer that walks the change feed while writers create, update and delete ends with a
// copy equal to the database; the OpenActive RPDE validator walks the feeds of a running server.

type App = Parameters<typeof call>[0]

/** A consumer of /v1/feeds/schemes: a copy of each scheme (or null when deleted) and where it stopped. */
class Consumer {
  copy = new Map<string, unknown>()
  next = '/v1/feeds/schemes?limit=7'
  pages = 0
  constructor(private app: App) {}
  /** Reads pages until the last; true when it met any item. */
  async catchUp(): Promise<boolean> {
    let any = false
    for (;;) {
      const res = await call(this.app, 'GET', this.next)
      if (res.statusCode !== 200) throw new Error(`${this.next}: ${res.statusCode} ${res.body}`)
      const page = res.json()
      this.pages++
      for (const item of page.items) {
        any = true
        this.copy.set(item.id, item.state === 'deleted' ? null : item.data)
      }
      const next = new URL(page.next)
      this.next = next.pathname + next.search
      if (page.items.length === 0) return any
    }
  }
}

t.test('a consumer walking the feed during concurrent writes ends with the database', async (t) => {
  const { app } = await build(t)
  const writers = DB_KIND === 'postgres' ? 4 : 2
  const rounds = DB_KIND === 'postgres' ? 8 : 3
  const orgs = await Promise.all(Array.from({ length: writers }, () => createOrganisation(app)))
  const venues = await Promise.all(orgs.map((o) => createVenue(app, o.key)))
  const ids = new Set<string>()
  let writing = true
  const consumer = new Consumer(app)

  const write = async (w: number) => {
    const { key } = orgs[w]
    const mine: string[] = []
    for (let r = 0; r < rounds; r++) {
      const s = await createScheme(app, key, { sessions: [weekly(venues[w].id)] })
      ids.add(s.id)
      mine.push(s.id)
      const target = mine[(r * 7 + w) % mine.length]
      const patched = await call(app, 'PATCH', `/v1/schemes/${target}`, { key, body: { description: `Round ${r} of writer ${w}` }, headers: { 'if-match': '*' } })
      if (patched.statusCode !== 200 && patched.statusCode !== 410) throw new Error(`patch: ${patched.statusCode} ${patched.body}`)
      if (r % 3 === 2) {
        const gone = mine.shift()!
        const del = await call(app, 'DELETE', `/v1/schemes/${gone}`, { key, headers: { 'if-match': '*' } })
        if (del.statusCode !== 204 && del.statusCode !== 410) throw new Error(`delete: ${del.statusCode} ${del.body}`)
      }
      if (r % 4 === 1) {
        const v = await call(app, 'PATCH', `/v1/venues/${venues[w].id}`, { key, body: { name: `Hall ${w}.${r}` }, headers: { 'if-match': '*' } })
        if (v.statusCode !== 200) throw new Error(`venue: ${v.statusCode} ${v.body}`)
      }
    }
  }
  const reading = (async () => {
    while (writing) await consumer.catchUp()
  })()
  await Promise.all(Array.from({ length: writers }, (_, w) => write(w)))
  writing = false
  await reading
  await consumer.catchUp()

  t.ok(consumer.pages > 2, `the consumer read while the writers wrote (${consumer.pages} pages)`)
  t.equal(consumer.copy.size, ids.size, 'every scheme written reached the copy')
  let equal = 0
  for (const id of ids) {
    const res = await call(app, 'GET', `/v1/schemes/${id}`)
    const expected = res.statusCode === 410 ? null : res.json()
    t.same(consumer.copy.get(id), expected, `scheme ${id} as the database has it`)
    if (JSON.stringify(consumer.copy.get(id)) === JSON.stringify(expected)) equal++
  }
  t.equal(equal, ids.size)
})

// The validator's warnings and suggestions that these feeds meet by design (docs/feeds.md, "Validation"):
const EXPLAINED = [
  // the test asks for pages of 2 to walk several; the default page is 500
  /at least 500 items/,
  // the walk cannot know a page is the last before it reads it, so the empty page it meets is
  // judged as a middle page; the last page it then asks for by itself gets max-age=8 and passes
  /Cache-Control.*max-age=8/s,
  // organisations are never deleted; venues only when their owner deletes them
  /No deleted items detected/,
  // these are the directory's own documents; OpenActive's model is served at /openactive
  /Modelling Opportunity Data/,
]

t.test('the RPDE validator walks each feed of a running server without an error', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const schemes = await Promise.all([0, 1, 2].map(() => createScheme(app, key)))
  await call(app, 'DELETE', `/v1/schemes/${schemes[1].id}`, { key, headers: { 'if-match': '*' } })
  t.equal((await call(app, 'DELETE', `/v1/venues/${schemes[1].sessions[0].venue_id}`, { key, headers: { 'if-match': '*' } })).statusCode, 204)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  for (const feed of ['schemes', 'venues', 'organisations']) {
    const log = await RpdeValidator(`http://127.0.0.1:${port}/v1/feeds/${feed}?limit=2`, { timeoutMs: 20000, pageLimit: 10, logCallback: () => {} })
    const found = log.pages.flatMap((p) => p.errors.map((e) => ({ url: p.url, severity: e.severity, message: e.message })))
    t.same(found.filter((e) => e.severity === 'failure'), [], `${feed}: no failures`)
    const unexplained = found.filter((e) => e.severity !== 'failure' && !EXPLAINED.some((x) => x.test(e.message)))
    t.same(unexplained, [], `${feed}: every warning and suggestion is one docs/feeds.md explains`)
    t.ok(log.pages.length >= 2, `${feed}: walked ${log.pages.length} pages`)
  }
})
