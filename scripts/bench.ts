// npm run bench: the search API against the raw SQL of the same mix, in one run.
//
//   DATABASE_URL=postgres://… npm run bench -- [--duration 10] [--concurrency 1,16,64] [--mix 400] [--seed 42] [--pool 10]
//     [--node-options '--max-old-space-size=160']
//   DATABASE_URL=… npm run bench -- --profile 10   each statement of the mix alone; the 10 slowest with their plans
//   DATABASE_URL=… npm run bench -- --explain      EXPLAIN ANALYZE of each main search shape on this dataset
//
// Starts the server (src/server.ts) as a child process on the database in DATABASE_URL, builds a
// fixed, seeded mix of realistic searches (origins from real postcode sectors weighted by how many
// postcodes they hold, radius 1–20 km, days/period/accessibility/free/category/q, a share of
// remote searches and of second pages through cursors), drives it with autocannon at each
// concurrency for a fixed duration, then runs the identical SQL statements of the same mix,
// planned by the code the route uses (src/search/plan.ts) after the route's Ajv coercion,
// through the production database client (src/db/client.ts: same driver mode, session settings
// and type parsing) with a pool of the same size at the same concurrency. It prints throughput,
// p50/p90/p99 latency, the API/SQL throughput ratio and the server's peak RSS.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { PgDialect } from 'drizzle-orm/pg-core'
import { connect, type Db } from '../src/db/client.ts'
import { finiteOnly, makeAjv } from '../src/plugins/validation.ts'
import { validationItems } from '../src/plugins/errors.ts'
import { allSchemas } from '../src/schemas/index.ts'
import { SearchQuery } from '../src/schemas/search.ts'
import { pageJson, searchPageJson, type RowSchedule } from '../src/search/page.ts'
import { planSearch, type PlannedSearch } from '../src/search/plan.ts'
import type { SearchRow } from '../src/search/request.ts'
import { breaksKey, scheduleSummaryCached, sessionSummaryCached } from '../src/search/summaries.ts'
import { Random } from '../src/seed/random.ts'
import { explain, shapeRequest, SHAPES } from './explain-search.ts'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1,16,64' },
    mix: { type: 'string', default: '400' },
    seed: { type: 'string', default: '42' },
    port: { type: 'string', default: '3917' },
    pool: { type: 'string', default: '10' },
    // the server's V8 heap limit recommended for production (docs/performance.md): without
    // it V8 lets the heap grow to about twice its live size under load
    'node-options': { type: 'string', default: '--max-old-space-size=160' },
    // instead of the benchmark: each statement of the mix alone, the slowest N with their plans
    profile: { type: 'string' },
    // instead of the benchmark: EXPLAIN ANALYZE of each main search shape (scripts/explain-search.ts) on this dataset
    explain: { type: 'boolean', default: false },
  },
})
const DATABASE_URL = process.env.DATABASE_URL
if (!DATABASE_URL) {
  console.error('bench: set DATABASE_URL to a PostgreSQL + PostGIS server holding a dataset (npm run generate)')
  process.exit(1)
}
const duration = Number(args.duration)
const levels = args.concurrency!.split(',').map(Number)
const poolSize = Number(args.pool)
const port = Number(args.port)
const mixSize = Number(args.mix)
for (const [name, v] of Object.entries({ duration, poolSize, port, mixSize })) {
  if (!Number.isFinite(v) || v <= 0) { console.error(`bench: bad --${name}`); process.exit(1) }
}
if (levels.some((c) => !Number.isInteger(c) || c < 1)) { console.error('bench: --concurrency takes whole numbers ≥ 1, comma-separated'); process.exit(1) }

// ---- the mix --------------------------------------------------------------------------
const random = new Random(Number(args.seed))
const rnd = () => random.next()
const pick = <T>(xs: readonly T[]) => random.pick(xs)
const some = <T>(xs: readonly T[], max: number) => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(xs)))]

// sector,district,lat,lon,…,count: one row per GB postcode sector with its number of postcodes
const sectorsFile = fileURLToPath(new URL('../src/geo/data/sectors.csv', import.meta.url))
const sectors = readFileSync(sectorsFile, 'utf8').trim().split('\n').slice(1).map((l) => {
  const [sector, , lat, lon, , , count] = l.split(',')
  return { sector, lat: Number(lat), lon: Number(lon), count: Number(count) }
})
const totalWeight = sectors.reduce((s, x) => s + x.count, 0)
function weightedSector() {
  let r = rnd() * totalWeight
  for (const s of sectors) { r -= s.count; if (r <= 0) return s }
  return sectors[sectors.length - 1]
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const PERIODS = ['morning', 'afternoon', 'evening'] as const
const ACCESS = ['step_free', 'wheelchair_accessible', 'hearing_loop', 'accessible_toilet', 'seating'] as const
const CATEGORIES = ['walking', 'music_singing', 'arts_crafts', 'gardening', 'befriending', 'coffee_morning', 'mens_shed', 'cookery', 'money_debt_advice', 'food_bank', 'peer_support', 'mental_wellbeing'] as const
const WORDS = ['walk', 'choir', 'garden', 'art', 'coffee', 'shed', 'debt', 'food', 'friend', 'cook'] as const

function searchUrl(): string {
  const s = weightedSector()
  const p = new URLSearchParams()
  if (rnd() < 0.7) p.set('postcode', s.sector)
  else { p.set('lat', s.lat.toFixed(5)); p.set('lon', s.lon.toFixed(5)) }
  p.set('radius_m', String(1000 * (1 + Math.floor(rnd() * 20))))
  if (rnd() < 0.1) p.set('delivery', 'online,telephone')
  if (rnd() < 0.35) p.set('days', some(DAYS, 3).join(','))
  if (rnd() < 0.35) p.set('period', some(PERIODS, 2).join(','))
  if (rnd() < 0.25) p.set('accessibility', some(ACCESS, 2).join(','))
  if (rnd() < 0.3) p.set('free', 'true')
  if (rnd() < 0.3) p.set('category', some(CATEGORIES, 2).join(','))
  if (rnd() < 0.1) p.set('q', pick(WORDS))
  return '/v1/schemes?' + p.toString()
}

// The route's query validation: the coercing Ajv over the same schema ("5000" → 5000, defaults).
const validateQuery = finiteOnly(makeAjv(allSchemas, true).compile(SearchQuery as any))
const dialect = new PgDialect()
type Statement = { text: string; values: unknown[] }

/** Plans a request path exactly as the route does; null when the route would refuse it. */
async function plan(db: Db, path: string, now: Date) {
  const query: Record<string, unknown> = Object.fromEntries(new URL(path, 'http://x').searchParams)
  const schemaErrors = validateQuery(query) ? [] : validationItems((validateQuery.errors ?? []) as any, 'querystring')
  const planned = await planSearch(db, query, now, schemaErrors)
  return planned.ok ? planned : null
}

/**
 * `size` requests: first pages, and a tenth of them followed by their second page through
 * next_cursor. Requests the route would refuse (a sector that is not placed) are left out
 * of both sides, so API and SQL run the same statements.
 */
async function buildMix(db: Db, size: number, now: Date) {
  const urls: string[] = []
  const statements: Statement[] = []
  const plans: PlannedSearch[] = []
  let refused = 0
  const add = (url: string, planned: PlannedSearch) => { urls.push(url); statements.push(toStatement(planned.statement)); plans.push(planned) }
  const toStatement = (s: Parameters<typeof dialect.sqlToQuery>[0]) => { const q = dialect.sqlToQuery(s); return { text: q.sql, values: q.params } }
  while (urls.length < size) {
    const url = searchUrl()
    const first = await plan(db, url, now)
    if (!first) { refused++; continue }
    add(url, first)
    if (rnd() < 0.1 && urls.length < size) {
      const page = JSON.parse(await searchPageJson(db, first)) as { next_cursor: string | null }
      if (!page.next_cursor) continue
      const next = url + '&cursor=' + encodeURIComponent(page.next_cursor)
      const second = await plan(db, next, now)
      if (!second) throw new Error(`bench: the route would refuse its own cursor: ${next}`)
      add(next, second)
    }
  }
  return { urls, statements, plans, refused }
}

/**
 * The server's own work on a page after the SQL: the rows spliced into the page's JSON text with
 * the summaries and next occurrences (search/page.ts pageJson), timed alone over the whole mix,
 * and the summaries alone within it (issue 13: what the readable schedules cost).
 */
async function assembly(db: Db, plans: PlannedSearch[], rounds = 5) {
  const rows: SearchRow[][] = []
  for (const p of plans) rows.push(await db.query<SearchRow>(p.statement))
  const time = (fn: () => void) => {
    fn() // warm
    const t0 = performance.now()
    for (let k = 0; k < rounds; k++) fn()
    return ((performance.now() - t0) * 1000) / rounds / plans.length
  }
  const whole = time(() => { for (let i = 0; i < plans.length; i++) pageJson(plans[i], rows[i]) })
  const summaries = time(() => {
    for (let i = 0; i < plans.length; i++) {
      for (const r of rows[i].slice(0, plans[i].request.filters.limit)) {
        // as search/page.ts itemSchedule does it, next occurrences apart
        const x: RowSchedule = JSON.parse(r.schedule)
        const key = breaksKey(x.breaks)
        const matching = JSON.parse(r.sessions).map(({ holiday_region: _, ...s }: any) => s)
        scheduleSummaryCached({ sessions: x.sessions ?? matching, breaks: x.breaks, by_arrangement: x.by_arrangement === true,
          always_open: x.always_open === true }, key)
        JSON.stringify(matching.map((s: any) => ({ ...s, summary: sessionSummaryCached(s, x.breaks, key) })))
      }
    }
  })
  const items = plans.reduce((n, p, i) => n + Math.min(rows[i].length, p.request.filters.limit), 0) / plans.length
  console.log(`page assembly after the SQL (TypeScript, mean of ${rounds} rounds over the mix, ${fmt(items)} items a page): ${fmt(whole, 0)} µs a page; ` +
    `the summaries' share (schedule column parsed, schedule_summary, each matching session's summary, re-serialised): ${fmt(summaries, 0)} µs ` +
    `(${fmt((100 * summaries) / whole, 0)}%)`)
}

// ---- measuring ------------------------------------------------------------------------
// autocannon ships no types: the little of it used here.
interface Cannon extends PromiseLike<{ errors: number; timeouts: number }> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Cannon

const pct = (sorted: number[], q: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a')

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch { return NaN }
}

async function waitReady(base: string, child: ChildProcess) {
  const until = Date.now() + 60000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try { if ((await fetch(base + '/readyz')).ok) return } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('server not ready in 60 s')
}

interface Figures { rate: number; p50: number; p90: number; p99: number; errors: number }

/** What went wrong, counted by kind ("503", "statement timeout"…), printed under the table. */
const failures = new Map<string, number>()
const failed = (side: string, kind: string) => failures.set(`${side} ${kind}`, (failures.get(`${side} ${kind}`) ?? 0) + 1)

function figures(latencies: number[], seconds: number, errors: number): Figures {
  latencies.sort((a, b) => a - b)
  return { rate: latencies.length / seconds, p50: pct(latencies, 0.5), p90: pct(latencies, 0.9), p99: pct(latencies, 0.99), errors }
}

/** autocannon with `c` connections; every request takes the next path of the mix in turn (as the SQL loop does). */
async function apiLoop(base: string, urls: string[], c: number, seconds: number): Promise<Figures> {
  let next = 0
  const latencies: number[] = []
  let errors = 0
  const t0 = performance.now()
  const instance = autocannon({
    url: base,
    connections: c,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: urls[next++ % urls.length] }) }],
  })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latencies.push(ms)
    else { errors++; failed('API', String(status)) }
  })
  const result = await instance
  const elapsed = (performance.now() - t0) / 1000
  if (result.errors) failed('API', 'connection errors')
  if (result.timeouts) failed('API', 'client timeouts')
  return figures(latencies, elapsed, errors + result.errors + result.timeouts)
}

/** The same statements through the production client: `c` workers, each taking the next statement of the mix. */
async function sqlLoop(db: Db, statements: Statement[], c: number, seconds: number): Promise<Figures> {
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  let next = 0
  const worker = async () => {
    while (performance.now() < end) {
      const s = statements[next++ % statements.length]
      const t0 = performance.now()
      try {
        await db.query(s.text, s.values)
        latencies.push(performance.now() - t0)
      } catch (err) {
        errors++
        const cause = (err as any).cause ?? err
        failed('SQL', cause.code === '57014' ? 'statement timeout' : (cause.code ?? cause.message ?? 'error'))
      }
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: c }, worker))
  return figures(latencies, (performance.now() - t0) / 1000, errors)
}

/** `--profile N`: every statement of the mix run alone (best of 3), then the N slowest with EXPLAIN ANALYZE. */
async function profile(top: number) {
  const db = await connect({ url: DATABASE_URL, poolMax: 2 })
  try {
    const { urls, statements } = await buildMix(db, mixSize, new Date())
    const times: Array<{ i: number; ms: number }> = []
    for (let i = 0; i < statements.length; i++) {
      let best = Infinity
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now()
        await db.query(statements[i].text, statements[i].values).catch(() => undefined)
        best = Math.min(best, performance.now() - t0)
      }
      times.push({ i, ms: best })
    }
    const sorted = times.map((t) => t.ms).sort((a, b) => a - b)
    const total = sorted.reduce((a, b) => a + b, 0)
    console.log(`mix of ${statements.length}: each alone, best of 3: p50 ${fmt(pct(sorted, 0.5), 2)} ms, p90 ${fmt(pct(sorted, 0.9), 2)} ms, p99 ${fmt(pct(sorted, 0.99), 2)} ms, ` +
      `max ${fmt(sorted[sorted.length - 1], 2)} ms, mean ${fmt(total / sorted.length, 2)} ms`)
    for (const { i, ms } of times.sort((a, b) => b.ms - a.ms).slice(0, top)) {
      console.log(`\n### ${fmt(ms, 2)} ms: ${decodeURIComponent(urls[i])}`)
      const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ' + statements[i].text, statements[i].values)
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'))
    }
  } finally {
    await db.close()
  }
}

/** `--explain`: each main search shape's statement, run 3 times to warm, then its EXPLAIN (ANALYZE, BUFFERS). */
async function explainShapes() {
  const db = await connect({ url: DATABASE_URL, poolMax: 1 })
  try {
    for (const shape of SHAPES) {
      const request = shapeRequest(shape.query)
      for (let i = 0; i < 3; i++) await explain(db, request, '(ANALYZE)')
      const plan = await explain(db, request, '(ANALYZE, BUFFERS, COSTS OFF)')
      console.log(`\n### ${shape.name}\n\n\`${new URLSearchParams(Object.entries(shape.query).map(([k, v]) => [k, String(v)]))}\`\n\n\`\`\``)
      console.log(plan.map((r: any) => r['QUERY PLAN']).join('\n') + '\n```')
    }
  } finally {
    await db.close()
  }
}

async function main() {
  if (args.profile !== undefined) return profile(Number(args.profile))
  if (args.explain) return explainShapes()
  const base = `http://127.0.0.1:${port}`
  const nodeOptions = args['node-options']!.split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeOptions, '--import=tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))], {
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_READ_URL: '',
      DB_POOL_MAX: String(poolSize), RATE_LIMIT_READ_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const db = await connect({ url: DATABASE_URL, poolMax: poolSize })
  try {
    await waitReady(base, child)
    const [{ schemes, venues }] = await db.query<{ schemes: number; venues: number }>(
      'SELECT (SELECT count(*) FROM schemes WHERE deleted_at IS NULL) AS schemes, (SELECT count(*) FROM venues) AS venues')
    const { urls, statements, plans, refused } = await buildMix(db, mixSize, new Date())

    // Warm both paths on the whole mix once (plans, caches, JIT of the server's code).
    const warmFailures = new Map<number, number>()
    for (const u of urls) {
      const res = await fetch(base + u)
      await res.arrayBuffer()
      if (res.status !== 200) warmFailures.set(res.status, (warmFailures.get(res.status) ?? 0) + 1)
    }
    for (const s of statements) await db.query(s.text, s.values).catch(() => undefined)
    if (warmFailures.size) console.log(`warm-up: ${[...warmFailures].map(([status, n]) => `${n} × ${status}`).join(', ')} (e.g. 503: statement timeout)`)

    console.log(`\nSignpost search benchmark — ${new Date().toISOString()}`)
    console.log(`dataset: ${schemes} schemes, ${venues} venues; mix: ${urls.length} requests (${refused} drawn and refused by validation, left out); ` +
      `${duration} s per level and side; API pool ${poolSize}, SQL pool ${poolSize}; server: node ${nodeOptions.join(' ') || '(no options)'}`)
    console.log('| concurrency | API req/s | API p50 ms | API p90 ms | API p99 ms | SQL q/s | SQL p50 ms | SQL p90 ms | SQL p99 ms | API/SQL throughput | errors API/SQL |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const c of levels) {
      const api = await apiLoop(base, urls, c, duration)
      const sql = await sqlLoop(db, statements, c, duration)
      console.log(`| ${c} | ${fmt(api.rate, 0)} | ${fmt(api.p50)} | ${fmt(api.p90)} | ${fmt(api.p99)} | ${fmt(sql.rate, 0)} | ${fmt(sql.p50)} | ${fmt(sql.p90)} | ${fmt(sql.p99)} | ${fmt((100 * api.rate) / sql.rate, 0)}% | ${api.errors}/${sql.errors} |`)
    }
    if (failures.size) console.log(`errors: ${[...failures].map(([k, n]) => `${k} × ${n}`).join(', ')}`)
    console.log(`server peak RSS: ${fmt(peakRssMb(child.pid!), 0)} MB`)
    await assembly(db, plans)
  } finally {
    await db.close()
    child.kill('SIGTERM')
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1 })
