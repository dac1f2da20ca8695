import t from 'tap'
import { build, DB_KIND } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'

// A consumer that walks the change feed while writers create, update and delete ends with a
// copy equal to the database (the validator's walk: feeds-rpde.test.ts).

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
  // A consumer polls the last page again after a while; here it does so after each write (no
  // timer): reading in a tight loop would take every turn of the embedded database's one
  // connection and leave the writers none.
  let written: () => void = () => {}
  const nextWrite = () => new Promise<void>((resolve) => { written = resolve })
  const wrote = () => written()

  const write = async (w: number) => {
    const { key } = orgs[w]
    const mine: string[] = []
    for (let r = 0; r < rounds; r++) {
      const s = await createScheme(app, key, { sessions: [weekly(venues[w].id)] })
      wrote()
      ids.add(s.id)
      mine.push(s.id)
      const target = mine[(r * 7 + w) % mine.length]
      const patched = await call(app, 'PATCH', `/v1/schemes/${target}`, { key, body: { description: `Round ${r} of writer ${w}` }, headers: { 'if-match': '*' } })
      if (patched.statusCode !== 200 && patched.statusCode !== 410) throw new Error(`patch: ${patched.statusCode} ${patched.body}`)
      wrote()
      if (r % 3 === 2) {
        const gone = mine.shift()!
        const del = await call(app, 'DELETE', `/v1/schemes/${gone}`, { key, headers: { 'if-match': '*' } })
        if (del.statusCode !== 204 && del.statusCode !== 410) throw new Error(`delete: ${del.statusCode} ${del.body}`)
        wrote()
      }
      if (r % 4 === 1) {
        const v = await call(app, 'PATCH', `/v1/venues/${venues[w].id}`, { key, body: { name: `Hall ${w}.${r}` }, headers: { 'if-match': '*' } })
        if (v.statusCode !== 200) throw new Error(`venue: ${v.statusCode} ${v.body}`)
        wrote()
      }
    }
  }
  const reading = (async () => {
    while (writing) {
      const next = nextWrite()
      await consumer.catchUp()
      if (writing) await next
    }
  })()
  // the reader stops when the writers stop, also when one of them fails
  const done = Promise.all(Array.from({ length: writers }, (_, w) => write(w))).finally(() => { writing = false; wrote() })
  await Promise.all([done, reading])
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

