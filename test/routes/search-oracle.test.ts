/**
 * The search against an independent oracle (test/oracle/): a random directory around one
 * point and many random searches; every page of every search, walked through its cursors,
 * is compared with a plain in-memory reading of SPEC §3.
 */
import t, { type Test } from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import { ukDate } from '../../src/domain/schedule.ts'
import { generate, queryArb, toQueryString } from '../oracle/dataset.ts'
import { compare, evaluate } from '../oracle/search.ts'
import { ukToday } from '../oracle/schedule.ts'
import { loadDataset } from '../oracle/load.ts'
import { pinnedApp } from '../oracle/app.ts'

const SEED = Number(process.env.ORACLE_SEED ?? 20261121)
const SEARCHES = Number(process.env.ORACLE_SEARCHES ?? 160)

async function oracleRun(t: Test, via: 'api' | 'sql', seed: number, searches: number) {
  const { db, app: plainApp } = await build(t)
  // The clock is pinned before any row is written: "today", verified_within_days and
  // next_occurrences all read it, and the oracle reads the same instant.
  const now = new Date()
  const nowMs = now.getTime()
  const today = ukToday(nowMs)
  t.equal(today, ukDate(now), 'the oracle and the service agree on the UK date')
  const app = await pinnedApp(t, db, now)

  const data = generate(seed, today)
  const { organisations, venues, schemes, via: loadedVia } = await loadDataset(plainApp, db, data, via)
  t.comment(`dataset (${loadedVia}): ${schemes.length} schemes, ${venues.size} venues, ${schemes.reduce((n, s) => n + s.sessions.length, 0)} sessions`)

  const queries = fc.sample(queryArb(today, organisations.map((o) => o.id)), { seed, numRuns: searches })
  let nonEmpty = 0, items = 0, pages = 0, remote = 0, walked = 0
  for (const [n, q] of queries.entries()) {
    const qs = toQueryString(q)
    const walk: any[] = []
    let cursor: string | null = null
    let problem: string | null = null
    for (let page = 0; page < 100; page++) {
      const res: any = await app.inject(`/pinned/v1/schemes?${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      pages++
      if (res.statusCode !== 200) { problem = `status ${res.statusCode}: ${res.body}`; break }
      const body: any = res.json()
      if (body.items.length > q.limit) problem = `page of ${body.items.length} items, limit ${q.limit}`
      if (body.next_cursor && body.items.length !== q.limit) problem = `a page of ${body.items.length} before the end (limit ${q.limit})`
      if (!body.next_cursor && page > 0 && body.items.length === 0) problem = 'an empty last page'
      walk.push(...body.items)
      cursor = body.next_cursor
      if (!cursor) break
    }
    if (walk.length > q.limit) walked++
    const expected = evaluate(schemes, venues, q, nowMs, today)
    const problems = problem ? [problem] : compare(walk, expected, !!q.origin)
    if (problems.length) {
      t.fail(`search ${n}: ${qs}`, { problems: problems.slice(0, 8), expected: expected.map((e) => `${e.name} ${e.kind}${e.certain ? '' : ' (edge)'}`) })
    }
    if (walk.length) nonEmpty++
    items += walk.length
    remote += walk.filter((i) => q.origin && i.distance_m === null).length
  }
  t.comment(`${queries.length} searches, ${pages} pages, ${items} items (${remote} remote); ${nonEmpty} searches found something, ${walked} needed several pages`)
  t.ok(nonEmpty >= queries.length / 3, 'a good share of the searches find something')
  t.ok(walked >= searches / 8, 'many searches are walked over several pages')
  t.ok(remote >= searches / 16, 'remote matches are exercised')
}

// Through the write API, as publishers would (the dataset's deleted venues are deleted
// before use, since the API refuses to delete a venue that a current session uses).
t.test('random searches agree with the oracle, page by page (data written through the API)', (t) => oracleRun(t, 'api', SEED, SEARCHES))

// Straight into the tables: also venues deleted under current sessions, which must not count.
t.test('random searches agree with the oracle (data written in SQL)', (t) => oracleRun(t, 'sql', SEED + 7, Math.ceil(SEARCHES / 2)))
