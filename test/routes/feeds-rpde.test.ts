import t from 'tap'
import { RpdeValidator } from '@openactive/rpde-validator'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme } from '../fixtures/api.ts'

// OpenActive's RPDE validator walks each change feed of a running server.

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
