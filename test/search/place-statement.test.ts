/**
 * The place search's in-person branches for a text search, against the independent oracle
 * (test/oracle/). On a directory of a hundred venues the bounded nearest-first stream (ip1)
 * answers every page, so here its thresholds are lowered (SearchRequest.tuning) until the
 * others answer too: the search from the few schemes a `q` matches (ip2) and the stream to
 * the edge of the circle (ip3). Every page of every search (with or without q), walked
 * through its cursors, must be the oracle's answer, and each branch must have answered
 * some of them (read from EXPLAIN ANALYZE).
 * Bad inputs tried: none; the searches are random but valid (test/routes/search-params.test.ts has the bad ones).
 */
import t from 'tap'
import fc from 'fast-check'
import { freshDb } from '../helper.ts'
import { finiteOnly, makeAjv } from '../../src/plugins/validation.ts'
import { validationItems } from '../../src/plugins/errors.ts'
import { allSchemas } from '../../src/schemas/index.ts'
import { SearchQuery } from '../../src/schemas/search.ts'
import { searchPage } from '../../src/search/page.ts'
import { planSearch, type PlannedSearch } from '../../src/search/plan.ts'
import type { SearchRequest, SearchRow } from '../../src/search/request.ts'
import { searchStatement } from '../../src/search/statement.ts'
import type { Db } from '../../src/db/client.ts'
import { PgDialect } from 'drizzle-orm/pg-core'
import { generate, queryArb, toQueryString } from '../oracle/dataset.ts'
import { compare, evaluate } from '../oracle/search.ts'
import { ukToday } from '../oracle/schedule.ts'
import { loadDataset } from '../oracle/load.ts'

// a seed whose random searches reach every branch (the test checks that they do: another seed may not)
const SEED = Number(process.env.ORACLE_SEED ?? 20261204)
const validate = finiteOnly(makeAjv(allSchemas, true).compile(SearchQuery as any))

async function plan(db: Db, qs: string, now: Date): Promise<PlannedSearch> {
  const query: Record<string, unknown> = Object.fromEntries(new URLSearchParams(qs))
  const errors = validate(query) ? [] : validationItems(validate.errors as any, 'querystring')
  const planned = await planSearch(db, query, now, errors)
  if (!planned.ok) throw new Error(`${qs}: ${planned.error.message}`)
  return planned
}

t.test('every in-person branch of the place search agrees with the oracle', async (t) => {
  const db = await freshDb(t)
  const now = new Date()
  const nowMs = now.getTime()
  const today = ukToday(nowMs)
  // three of the oracle's directories in one database: about a hundred venues, so that
  // schemes and venues compete within each circle
  const loaded = { organisations: [] as Array<{ id: string }>, schemes: [] as any[], venues: new Map<string, any>() }
  for (const seed of [SEED, SEED + 1, SEED + 2]) {
    const part = await loadDataset({ hasRoute: () => false } as any, db, generate(seed, today), 'sql')
    loaded.organisations.push(...part.organisations)
    loaded.schemes.push(...part.schemes)
    for (const [id, v] of part.venues) loaded.venues.set(id, v)
  }
  const queries = fc.sample(queryArb(today, loaded.organisations.map((o) => o.id)), { seed: SEED, numRuns: 200 })
    .filter((q) => q.origin && (!q.delivery || q.delivery.includes('in_person')))
  const modes = [
    { name: 'ip2 when q, else ip3', tuning: { nearestVenues: 1, fewWordMatches: 1_000_000 } },
    { name: 'ip3', tuning: { nearestVenues: 2, fewWordMatches: 0 } },
  ]
  const answered: Record<string, number> = { ip2: 0, ip3: 0 }
  for (const mode of modes) {
    for (const [n, q] of queries.entries()) {
      const qs = toQueryString(q)
      const walk: any[] = []
      let cursor: string | null = null
      for (let page = 0; page < 100; page++) {
        const planned = await plan(db, qs + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''), now)
        const request = { ...planned.request, tuning: mode.tuning }
        const rows = await db.query<SearchRow>(searchStatement(request))
        for (const [cte, count] of Object.entries(await branchRows(db, request))) answered[cte] += count > 0 ? 1 : 0
        const body = searchPage(planned, rows)
        walk.push(...body.items)
        cursor = body.next_cursor
        if (!cursor) break
      }
      const problems = compare(walk, evaluate(loaded.schemes, loaded.venues, q, nowMs, today), true)
      if (problems.length) t.fail(`${mode.name}, search ${n}: ${qs}`, { problems: problems.slice(0, 8) })
    }
  }
  t.comment(`${queries.length} searches × ${modes.length} settings; pages with rows from ip2 ${answered.ip2}, from ip3 ${answered.ip3}`)
  t.ok(answered.ip2 >= 5, 'the search from the schemes a q matches answered pages')
  t.ok(answered.ip3 >= 5, 'the stream to the edge of the circle answered pages')
})

/** How many rows each in-person branch produced for this request, from EXPLAIN ANALYZE. */
async function branchRows(db: Db, request: SearchRequest): Promise<Record<string, number>> {
  const q = new PgDialect().sqlToQuery(searchStatement(request))
  const [row] = await db.query<Record<string, any>>(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, q.params)
  const json = row['QUERY PLAN']
  const out: Record<string, number> = { ip2: 0, ip3: 0 }
  const walk = (node: any) => {
    if (node['Subplan Name']?.startsWith('CTE ')) {
      const name = node['Subplan Name'].slice(4)
      if (name in out) out[name] = node['Actual Rows'] * (node['Actual Loops'] ?? 1)
    }
    for (const child of node.Plans ?? []) walk(child)
  }
  walk((typeof json === 'string' ? JSON.parse(json) : json)[0].Plan)
  return out
}
