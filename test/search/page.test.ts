/**
 * The search route sends the page as JSON text spliced from PostgreSQL's JSON (searchPageJson),
 * not through Fastify's schema serialiser, which would drop undeclared fields and coerce
 * types. So every page of many searches (with a place, remote, without a place, walked
 * through the cursors) is checked here against the SearchPage schema made strict (no
 * property that the schema does not declare, anywhere), and against the object page the
 * bench and the other tests read (searchPage), and the route's own answer against both; the
 * empty first pages with a place carry their suggestions, which must be declared too.
 * Bad inputs: none; the searches are random but valid.
 */
import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import { finiteOnly, makeAjv } from '../../src/plugins/validation.ts'
import { validationItems } from '../../src/plugins/errors.ts'
import { allSchemas } from '../../src/schemas/index.ts'
import { SearchQuery } from '../../src/schemas/search.ts'
import { searchPage, searchPageJson } from '../../src/search/page.ts'
import { planSearch } from '../../src/search/plan.ts'
import { findSuggestions } from '../../src/search/suggestions.ts'
import type { SearchRow } from '../../src/search/request.ts'
import { generate, queryArb, toQueryString } from '../oracle/dataset.ts'
import { ukToday } from '../oracle/schedule.ts'
import { loadDataset } from '../oracle/load.ts'

const SEED = 20261123

/** A copy of a schema where every object with properties allows no others. */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict)
  if (!schema || typeof schema !== 'object') return schema
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'examples' ? v : strict(v)]))
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false
  return out
}

t.test('the JSON text of a search page is the schema\'s page, with nothing undeclared', async (t) => {
  const { app, db } = await build(t)
  const now = new Date()
  const loaded = await loadDataset(app, db, generate(SEED, ukToday(now.getTime())), 'sql')
  const strictAjv = makeAjv(allSchemas.map(strict), false)
  const validatePage = strictAjv.getSchema('SearchPage')!
  const validateQuery = finiteOnly(makeAjv(allSchemas, true).compile(SearchQuery as any))
  const queries = fc.sample(queryArb(ukToday(now.getTime()), loaded.organisations.map((o) => o.id)), { seed: SEED, numRuns: 120 })
  let pages = 0, items = 0, remote = 0, suggested = 0, helped = 0
  for (const q of queries) {
    let cursor: string | null = null
    for (let page = 0; page < 20; page++) {
      const qs = toQueryString(q) + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '')
      const query: Record<string, unknown> = Object.fromEntries(new URLSearchParams(qs))
      const planned = await planSearch(db, query, now, validateQuery(query) ? [] : validationItems(validateQuery.errors as any, 'querystring'))
      if (!planned.ok) { t.fail(`${qs}: ${planned.error.message}`); break }
      const text = await searchPageJson(db, planned)
      const body = JSON.parse(text)
      if (!validatePage(body)) t.fail(qs, { errors: validatePage.errors?.slice(0, 3) })
      const rows = await db.query<SearchRow>(planned.statement)
      t.same(body, searchPage(planned, rows, await findSuggestions(db, planned, rows)), 'the text and the object page agree')
      pages++
      if (body.suggestions) {
        suggested++
        helped += body.suggestions.nearest.length + (body.suggestions.without?.length ?? 0)
      }
      items += body.items.length
      remote += body.items.filter((i: any) => q.origin && i.venue === null).length
      cursor = body.next_cursor
      if (!cursor) break
    }
  }
  t.ok(items > 100 && remote > 3, `pages with items, some remote (${pages} pages, ${items} items, ${remote} remote)`)
  t.ok(suggested > 3 && helped > 3, `empty pages with suggestions (${suggested} pages, ${helped} nearest and without entries)`)

  // the route sends that text as application/json, and a client reads the same page
  const res = await app.inject('/v1/schemes?lat=51.4663&lon=-0.0708&radius_m=8000&delivery=in_person,online,telephone&limit=5')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8$/)
  const body = res.json()
  t.ok(validatePage(body), 'the route\'s page is the strict schema\'s')
  t.equal(body.items.length, 5)
  t.ok(res.headers.etag, 'with its ETag')
})
