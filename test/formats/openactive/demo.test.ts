import t from 'tap'
import { build } from '../../helper.ts'
import { seedDemo } from '../../../src/seed/demo.ts'
import { failures, oaValidate, undocumentedWarnings } from './validator.ts'

// The SessionSeries feed over the demo directory that `npm start` seeds: walked to its end, and
// every page with items checked by the data-model validator (four pages of 50).
t.test('the demo directory\'s SessionSeries feed validates', async (t) => {
  const { app, db } = await build(t)
  const seeded = await seedDemo(db)
  const pages: any[] = []
  let url = '/openactive/session-series?limit=50'
  for (;;) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200)
    const page = res.json()
    if (page.items.length === 0) break
    pages.push(page)
    const next = new URL(page.next)
    url = next.pathname + next.search
  }
  const items = pages.flatMap((p) => p.items)
  t.equal(items.length, seeded.schemes, 'every demo scheme once')
  const updated = items.filter((i: any) => i.state === 'updated').length
  t.ok(updated > 5 && updated < items.length, `${updated} of ${items.length} schemes are OpenActive opportunities`)
  for (const p of pages) {
    const found = await oaValidate(p, { rpdeItemLimit: 50 })
    t.same(failures(found), [], `${p.next}: no failures`)
    t.same(undocumentedWarnings(found), [], `${p.next}: every warning explained in docs/openactive.md`)
  }
})
