// npm run bench: the search API against the raw SQL of the same mix, in one run.
//
//   DATABASE_URL=postgres://… npm run bench -- [--duration 10] [--concurrency 1,16,64] [--mix 400] [--seed 42] [--pool 10]
//     [--zero 0.1] [--suggestions on|off] [--node-options '--max-old-space-size=160']
//   DATABASE_URL=… npm run bench -- --profile 10   each statement of the mix alone; the 10 slowest with their plans
//   DATABASE_URL=… npm run bench -- --explain      EXPLAIN ANALYZE of each main search shape on this dataset
//   DATABASE_URL=… npm run bench -- --demand       the search API with demand recording on and off (two servers), in one run
//
// Starts the server (src/server.ts) as a child process on the database in DATABASE_URL, builds a
// fixed, seeded mix of realistic searches (origins from real postcode sectors weighted by how many
// postcodes they hold, radius 1–20 km, days/period/accessibility/free/category/q, a share of
// remote searches, of second pages through cursors, and of searches drawn to find nothing, which
// get suggestions: src/search/suggestions.ts), drives it with autocannon at each
// concurrency for a fixed duration, then runs the identical SQL statements of the same mix,
// planned by the code the route uses (src/search/plan.ts) after the route's Ajv coercion,
// through the production database client (src/db/client.ts: same driver mode, session settings
// and type parsing) with a pool of the same size at the same concurrency. It prints throughput,
// p50/p90/p99 latency, the API/SQL throughput ratio and the server's peak RSS, then the latencies
// of the searches that found nothing beside those of the others.
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
import { suggestionStatements, wantsSuggestions } from '../src/search/suggestions.ts'
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
    // the share of first pages drawn to find nothing within their radius (rare codes together)
    zero: { type: 'string', default: '0.1' },
    // off: the server's SEARCH_SUGGESTIONS=false, and the SQL side runs no suggestion statement
    suggestions: { type: 'string', default: 'on' },
    // the server's V8 heap limit recommended for production (docs/performance.md): without
    // it V8 lets the heap grow to about twice its live size under load
    'node-options': { type: 'string', default: '--max-old-space-size=160' },
    // instead of the benchmark: each statement of the mix alone, the slowest N with their plans
    profile: { type: 'string' },
    // instead of the benchmark: EXPLAIN ANALYZE of each main search shape (scripts/explain-search.ts) on this dataset
    explain: { type: 'boolean', default: false },
    // instead of the benchmark: the same mix against a server with DEMAND_RECORDING on and one with it off, interleaved
    demand: { type: 'boolean', default: false },
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
const zeroShare = Number(args.zero)
const suggest = args.suggestions === 'on'
for (const [name, v] of Object.entries({ duration, poolSize, port, mixSize })) {
  if (!Number.isFinite(v) || v <= 0) { console.error(`bench: bad --${name}`); process.exit(1) }
}
if (!(zeroShare >= 0 && zeroShare <= 1)) { console.error('bench: --zero takes a share from 0 to 1'); process.exit(1) }
if (!['on', 'off'].includes(args.suggestions!)) { console.error('bench: --suggestions takes on or off'); process.exit(1) }
if (levels.some((c) => !Number.isInteger(c) || c < 1)) { console.error('bench: --concurrency takes whole numbers ≥ 1, comma-separated'); process.exit(1) }

// ---- the mix --------------------------------------------------------------------------
const random = new Random(Number(args.seed))
// the searches drawn to find nothing have their own sequence, so the others are drawn as without them
const zeroRandom = new Random(Number(args.seed) + 1)
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
function weightedSector(from = random) {
  let r = from.next() * totalWeight
  for (const s of sectors) { r -= s.count; if (r <= 0) return s }
  return sectors[sectors.length - 1]
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
// the periods as link workers ask for them: the evening and the night are the loneliest hours (issue 17)
const PERIODS: Array<[string, number]> = [['morning', 30], ['afternoon', 25], ['evening', 30], ['night', 15]]
const WEEKEND = ['sat', 'sun'] as const
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
  // days: a third of them the weekend only
  if (rnd() < 0.35) p.set('days', (rnd() < 0.3 ? some(WEEKEND, 2) : some(DAYS, 3)).join(','))
  if (rnd() < 0.35) p.set('period', [...new Set([random.weighted(PERIODS), ...(rnd() < 0.3 ? [random.weighted(PERIODS)] : [])])].join(','))
  if (rnd() < 0.25) p.set('accessibility', some(ACCESS, 2).join(','))
  if (rnd() < 0.3) p.set('free', 'true')
  if (rnd() < 0.3) p.set('category', some(CATEGORIES, 2).join(','))
  if (rnd() < 0.1) p.set('q', pick(WORDS))
  return '/v1/schemes?' + p.toString()
}

/**
 * A search likely to find nothing within its radius, as a link worker's precise question can:
 * one or two categories, seating and another access need, a weekday and a period, within 1–5 km.
 * buildMix keeps it only when it does find nothing.
 */
function zeroUrl(): string {
  const z = zeroRandom
  const s = weightedSector(z)
  const p = new URLSearchParams()
  if (z.next() < 0.7) p.set('postcode', s.sector)
  else { p.set('lat', s.lat.toFixed(5)); p.set('lon', s.lon.toFixed(5)) }
  p.set('radius_m', String(1000 * z.int(1, 5)))
  p.set('category', [...new Set([z.pick(CATEGORIES), z.pick(CATEGORIES)])].join(','))
  p.set('accessibility', [...new Set(['seating', z.pick(ACCESS)])].join(','))
  p.set('days', z.pick(DAYS))
  p.set('period', z.weighted(PERIODS))
  return '/v1/schemes?' + p.toString()
}

// The route's query validation: the coercing Ajv over the same schema ("5000" → 5000, defaults).
const validateQuery = finiteOnly(makeAjv(allSchemas, true).compile(SearchQuery as any))
const dialect = new PgDialect()
type Statement = { text: string; values: unknown[] }
/** One request of the mix as SQL: its page, and the suggestions the route runs after it when the page is empty (all at once). */
type Entry = { page: Statement; suggestions: Statement[]; zero: boolean; hours: Hours[] }

/** The loneliest hours a search asks about (issue 17), reported beside the rest: a search may be in several. */
type Hours = 'evening' | 'night' | 'weekend'
const HOURS: Hours[] = ['evening', 'night', 'weekend']
function hoursOf(url: string): Hours[] {
  const q = new URL(url, 'http://x').searchParams
  const periods = (q.get('period') ?? '').split(',')
  const days = q.get('days')?.split(',') ?? []
  const out: Hours[] = []
  if (periods.includes('evening') || (q.get('starts_after') ?? '') >= '17:00') out.push('evening')
  if (periods.includes('night')) out.push('night')
  if (days.length > 0 && days.every((d) => d === 'sat' || d === 'sun')) out.push('weekend')
  return out
}
const toStatement = (s: Parameters<typeof dialect.sqlToQuery>[0]): Statement => { const q = dialect.sqlToQuery(s); return { text: q.sql, values: q.params } }

/** What the route runs for one request: the page, then its suggestions' statements together (src/search/suggestions.ts findSuggestions). */
async function runEntry(db: Db, e: Entry) {
  await db.query(e.page.text, e.page.values)
  if (e.suggestions.length) await Promise.all(e.suggestions.map((s) => db.query(s.text, s.values)))
}

/** Plans a request path exactly as the route does; null when the route would refuse it. */
async function plan(db: Db, path: string, now: Date) {
  const query: Record<string, unknown> = Object.fromEntries(new URL(path, 'http://x').searchParams)
  const schemaErrors = validateQuery(query) ? [] : validationItems((validateQuery.errors ?? []) as any, 'querystring')
  const planned = await planSearch(db, query, now, schemaErrors)
  return planned.ok ? planned : null
}

/**
 * `size` requests: first pages, and a tenth of them followed by their second page through
 * next_cursor; a share (--zero) of the first pages drawn to find nothing, kept when they do.
 * Requests the route would refuse (a sector that is not placed) are left out of both sides,
 * so API and SQL run the same statements. Each first page is run once here, to know whether it
 * finds nothing and so gets suggestions.
 */
async function buildMix(db: Db, size: number, now: Date) {
  const urls: string[] = []
  const entries: Entry[] = []
  const plans: PlannedSearch[] = []
  let refused = 0
  let drawnZero = 0
  let keptZero = 0
  const add = (url: string, entry: Entry, planned: PlannedSearch) => { urls.push(url); entries.push(entry); plans.push(planned) }
  while (urls.length < size) {
    const crafted = zeroRandom.next() < zeroShare
    const url = crafted ? zeroUrl() : searchUrl()
    const first = await plan(db, url, now)
    if (!first) { refused++; continue }
    const rows = await db.query<SearchRow>(first.statement)
    const zero = wantsSuggestions(first, rows)
    if (crafted) {
      if (++drawnZero > 20 * size) throw new Error('bench: the searches drawn to find nothing keep finding something; lower --zero')
      if (!zero) continue
      keptZero++
    }
    const suggestions = zero && suggest ? suggestionStatements(first.request).map(toStatement) : []
    add(url, { page: toStatement(first.statement), suggestions, zero, hours: hoursOf(url) }, first)
    // (not after a search drawn to find nothing: it has no next page, and the others' draws stay as they were)
    if (!crafted && rnd() < 0.1 && urls.length < size) {
      const page = JSON.parse(await searchPageJson(db, first)) as { next_cursor: string | null }
      if (!page.next_cursor) continue
      const next = url + '&cursor=' + encodeURIComponent(page.next_cursor)
      const second = await plan(db, next, now)
      if (!second) throw new Error(`bench: the route would refuse its own cursor: ${next}`)
      add(next, { page: toStatement(second.statement), suggestions: [], zero: false, hours: hoursOf(next) }, second)
    }
  }
  return { urls, entries, plans, refused, drawnZero, keptZero }
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

/** p50 and p99 of one kind of request: the searches that found nothing, or the others. */
interface Kind { n: number; p50: number; p99: number }
interface Figures { rate: number; p50: number; p90: number; p99: number; errors: number; zero: Kind; ordinary: Kind; hours: Record<Hours | 'rest', Kind> }

/** What went wrong, counted by kind ("503", "statement timeout"…), printed under the table. */
const failures = new Map<string, number>()
const failed = (side: string, kind: string) => failures.set(`${side} ${kind}`, (failures.get(`${side} ${kind}`) ?? 0) + 1)

function kind(latencies: number[]): Kind {
  latencies.sort((a, b) => a - b)
  return { n: latencies.length, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99) }
}

/** Latencies of the answers, by the hours their search asked about ('rest': none of them). */
type ByHours = Record<Hours | 'rest', number[]>
const byHours = (): ByHours => ({ evening: [], night: [], weekend: [], rest: [] })
function record(into: ByHours, hours: Hours[], ms: number) {
  if (hours.length === 0) into.rest.push(ms)
  for (const h of hours) into[h].push(ms)
}

function figures(zero: number[], ordinary: number[], seconds: number, errors: number, hours: ByHours): Figures {
  const latencies = [...zero, ...ordinary].sort((a, b) => a - b)
  return { rate: latencies.length / seconds, p50: pct(latencies, 0.5), p90: pct(latencies, 0.9), p99: pct(latencies, 0.99), errors,
    zero: kind(zero), ordinary: kind(ordinary),
    hours: { evening: kind(hours.evening), night: kind(hours.night), weekend: kind(hours.weekend), rest: kind(hours.rest) } }
}

/**
 * autocannon with `c` connections; every request takes the next path of the mix in turn (as the
 * SQL loop does). A page with no items is told by its first bytes (autocannon hands each body to
 * the request's onResponse just before its 'response' event, which takes the latency).
 */
async function apiLoop(base: string, urls: string[], hours: Hours[][], c: number, seconds: number): Promise<Figures> {
  let next = 0
  const zero: number[] = []
  const ordinary: number[] = []
  const timed = byHours()
  let errors = 0
  let empty = false
  let asked: Hours[] = []
  const t0 = performance.now()
  const instance = autocannon({
    url: base,
    connections: c,
    duration: seconds,
    requests: [{
      method: 'GET',
      // the connection's context carries what its request asked about to its response
      setupRequest: (req: any, context: any) => { const i = next++ % urls.length; context.hours = hours[i]; return { ...req, path: urls[i] } },
      onResponse: (_status: number, body: string, context: any) => { empty = body.startsWith('{"items":[],'); asked = context.hours ?? [] },
    }],
  })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) { (empty ? zero : ordinary).push(ms); record(timed, asked, ms) }
    else { errors++; failed('API', String(status)) }
  })
  const result = await instance
  const elapsed = (performance.now() - t0) / 1000
  if (result.errors) failed('API', 'connection errors')
  if (result.timeouts) failed('API', 'client timeouts')
  return figures(zero, ordinary, elapsed, errors + result.errors + result.timeouts, timed)
}

/** The same statements through the production client: `c` workers, each taking the next request of the mix. */
async function sqlLoop(db: Db, entries: Entry[], c: number, seconds: number): Promise<Figures> {
  const zero: number[] = []
  const ordinary: number[] = []
  const timed = byHours()
  let errors = 0
  const end = performance.now() + seconds * 1000
  let next = 0
  const worker = async () => {
    while (performance.now() < end) {
      const e = entries[next++ % entries.length]
      const t0 = performance.now()
      try {
        await runEntry(db, e)
        const ms = performance.now() - t0
        ;(e.zero ? zero : ordinary).push(ms)
        record(timed, e.hours, ms)
      } catch (err) {
        errors++
        const cause = (err as any).cause ?? err
        failed('SQL', cause.code === '57014' ? 'statement timeout' : (cause.code ?? cause.message ?? 'error'))
      }
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: c }, worker))
  return figures(zero, ordinary, (performance.now() - t0) / 1000, errors, timed)
}

/**
 * `--profile N`: every request of the mix run alone as SQL (best of 3; a page that finds nothing
 * with its suggestions), then the N slowest page statements with EXPLAIN ANALYZE.
 */
async function profile(top: number) {
  const db = await connect({ url: DATABASE_URL, poolMax: poolSize })
  try {
    const { urls, entries } = await buildMix(db, mixSize, new Date())
    const times: Array<{ i: number; ms: number }> = []
    for (let i = 0; i < entries.length; i++) {
      let best = Infinity
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now()
        await runEntry(db, entries[i]).catch(() => undefined)
        best = Math.min(best, performance.now() - t0)
      }
      times.push({ i, ms: best })
    }
    const line = (what: string, ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b)
      const total = sorted.reduce((a, b) => a + b, 0)
      console.log(`${what} ${sorted.length}: each alone, best of 3: p50 ${fmt(pct(sorted, 0.5), 2)} ms, p90 ${fmt(pct(sorted, 0.9), 2)} ms, ` +
        `p99 ${fmt(pct(sorted, 0.99), 2)} ms, max ${fmt(sorted[sorted.length - 1], 2)} ms, mean ${fmt(total / sorted.length, 2)} ms`)
    }
    line('mix of', times.map((t) => t.ms))
    line('  that found nothing:', times.filter((t) => entries[t.i].zero).map((t) => t.ms))
    line('  the others:', times.filter((t) => !entries[t.i].zero).map((t) => t.ms))
    for (const { i, ms } of times.sort((a, b) => b.ms - a.ms).slice(0, top)) {
      const page = entries[i].page
      const more = entries[i].suggestions.length ? ` (with ${entries[i].suggestions.length} suggestion statements; the page's plan)` : ''
      console.log(`\n### ${fmt(ms, 2)} ms: ${decodeURIComponent(urls[i])}${more}`)
      const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ' + page.text, page.values)
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

function startServer(at: number, env: Record<string, string> = {}): ChildProcess {
  const nodeOptions = args['node-options']!.split(' ').filter(Boolean)
  return spawn(process.execPath, [...nodeOptions, '--import=tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))], {
    env: {
      ...process.env, PORT: String(at), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_READ_URL: '',
      DB_POOL_MAX: String(poolSize), RATE_LIMIT_READ_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      SEARCH_SUGGESTIONS: String(suggest), ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}

/**
 * `--demand`: demand recording's cost on the search (issue 16: within 5%). Two servers on the
 * same database, one with DEMAND_RECORDING=true and one with false, are driven with the same
 * mix at each concurrency, in turn and twice each (on, off, off, on), so that drift in the
 * machine's load falls on both; p50 and p99 of both are printed side by side.
 */
async function demandBench() {
  const servers = { on: startServer(port, { DEMAND_RECORDING: 'true' }), off: startServer(port + 1, { DEMAND_RECORDING: 'false' }) }
  const bases = { on: `http://127.0.0.1:${port}`, off: `http://127.0.0.1:${port + 1}` }
  const db = await connect({ url: DATABASE_URL, poolMax: 2 })
  try {
    await Promise.all([waitReady(bases.on, servers.on), waitReady(bases.off, servers.off)])
    const { urls, entries } = await buildMix(db, mixSize, new Date())
    for (const base of Object.values(bases)) for (const u of urls) await (await fetch(base + u)).arrayBuffer()
    console.log(`\nSignpost search with demand recording on and off — ${new Date().toISOString()}; mix ${urls.length}, ${duration} s per run, 2 runs per side`)
    console.log('| concurrency | on req/s | on p50 ms | on p99 ms | off req/s | off p50 ms | off p99 ms | p50 on/off | p99 on/off |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    const hours = entries.map((e) => e.hours)
    for (const c of levels) {
      const runs: Record<'on' | 'off', Figures[]> = { on: [], off: [] }
      for (const side of ['on', 'off', 'off', 'on'] as const) runs[side].push(await apiLoop(bases[side], urls, hours, c, duration))
      const mean = (xs: Figures[], k: 'rate' | 'p50' | 'p99') => xs.reduce((a, x) => a + x[k], 0) / xs.length
      const [on, off] = [runs.on, runs.off]
      console.log(`| ${c} | ${fmt(mean(on, 'rate'), 0)} | ${fmt(mean(on, 'p50'))} | ${fmt(mean(on, 'p99'))} | ${fmt(mean(off, 'rate'), 0)} | ` +
        `${fmt(mean(off, 'p50'))} | ${fmt(mean(off, 'p99'))} | ${fmt(mean(on, 'p50') / mean(off, 'p50'), 3)} | ${fmt(mean(on, 'p99') / mean(off, 'p99'), 3)} |`)
    }
    const [{ rows, searches }] = await db.query<{ rows: number; searches: number }>('SELECT count(*)::int AS rows, coalesce(sum(searches), 0)::int AS searches FROM demand_daily')
    console.log(`demand_daily now: ${rows} rows, ${searches} searches counted (the "on" server's, flushed every DEMAND_FLUSH_INTERVAL_MS)`)
  } finally {
    await db.close()
    servers.on.kill('SIGTERM')
    servers.off.kill('SIGTERM')
  }
}

async function main() {
  if (args.profile !== undefined) return profile(Number(args.profile))
  if (args.explain) return explainShapes()
  if (args.demand) return demandBench()
  const base = `http://127.0.0.1:${port}`
  const nodeOptions = args['node-options']!.split(' ').filter(Boolean)
  const child = startServer(port)
  const db = await connect({ url: DATABASE_URL, poolMax: poolSize })
  try {
    await waitReady(base, child)
    const [{ schemes, venues }] = await db.query<{ schemes: number; venues: number }>(
      'SELECT (SELECT count(*) FROM schemes WHERE deleted_at IS NULL) AS schemes, (SELECT count(*) FROM venues) AS venues')
    const { urls, entries, plans, refused, drawnZero, keptZero } = await buildMix(db, mixSize, new Date())

    // Warm both paths on the whole mix once (plans, caches, JIT of the server's code).
    const warmFailures = new Map<number, number>()
    for (const u of urls) {
      const res = await fetch(base + u)
      await res.arrayBuffer()
      if (res.status !== 200) warmFailures.set(res.status, (warmFailures.get(res.status) ?? 0) + 1)
    }
    for (const e of entries) await runEntry(db, e).catch(() => undefined)
    if (warmFailures.size) console.log(`warm-up: ${[...warmFailures].map(([status, n]) => `${n} × ${status}`).join(', ')} (e.g. 503: statement timeout)`)

    console.log(`\nSignpost search benchmark — ${new Date().toISOString()}`)
    console.log(`dataset: ${schemes} schemes, ${venues} venues; mix: ${urls.length} requests (${refused} drawn and refused by validation, left out); ` +
      `${duration} s per level and side; API pool ${poolSize}, SQL pool ${poolSize}; server: node ${nodeOptions.join(' ') || '(no options)'}`)
    const zeros = entries.filter((e) => e.zero).length
    console.log(`found nothing: ${zeros} of the ${urls.length} (${keptZero} of ${drawnZero} drawn to find nothing did, and ${zeros - keptZero} of the others); ` +
      `suggestions ${suggest ? 'on' : 'off (SEARCH_SUGGESTIONS=false)'}`)
    console.log('| concurrency | API req/s | API p50 ms | API p90 ms | API p99 ms | SQL q/s | SQL p50 ms | SQL p90 ms | SQL p99 ms | API/SQL throughput | errors API/SQL |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    const byKind: Array<[number, Figures, Figures]> = []
    for (const c of levels) {
      const api = await apiLoop(base, urls, entries.map((e) => e.hours), c, duration)
      const sql = await sqlLoop(db, entries, c, duration)
      byKind.push([c, api, sql])
      console.log(`| ${c} | ${fmt(api.rate, 0)} | ${fmt(api.p50)} | ${fmt(api.p90)} | ${fmt(api.p99)} | ${fmt(sql.rate, 0)} | ${fmt(sql.p50)} | ${fmt(sql.p90)} | ${fmt(sql.p99)} | ${fmt((100 * api.rate) / sql.rate, 0)}% | ${api.errors}/${sql.errors} |`)
    }
    // the issue's bound: a search that finds nothing (with its suggestions) has a p99 at most 3 × the others'
    console.log('\nsearches that found nothing beside the others (answers counted, p50 and p99 ms; ratio: p99 found nothing ÷ p99 others):')
    console.log('| concurrency | API others n | p50 | p99 | API nothing n | p50 | p99 | API ratio | SQL others p50 | p99 | SQL nothing p50 | p99 | SQL ratio |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const [c, api, sql] of byKind) {
      const k = (x: Kind) => `${fmt(x.p50)} | ${fmt(x.p99)}`
      console.log(`| ${c} | ${api.ordinary.n} | ${k(api.ordinary)} | ${api.zero.n} | ${k(api.zero)} | ${fmt(api.zero.p99 / api.ordinary.p99, 2)}× | ` +
        `${k(sql.ordinary)} | ${k(sql.zero)} | ${fmt(sql.zero.p99 / sql.ordinary.p99, 2)}× |`)
    }
    // issue 17: the evening, night and weekend searches beside the rest (a search may count in several)
    const shares = HOURS.map((h) => `${h} ${entries.filter((e) => e.hours.includes(h)).length}`).join(', ')
    console.log(`\nthe loneliest hours beside the rest (p50 and p99 ms; mix: ${shares}, none of them ${entries.filter((e) => e.hours.length === 0).length}):`)
    console.log('| concurrency | side | evening n | p50 | p99 | night n | p50 | p99 | weekend n | p50 | p99 | the rest n | p50 | p99 |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const [c, api, sql] of byKind) {
      for (const [side, f] of [['API', api], ['SQL', sql]] as const) {
        const cells = ([...HOURS, 'rest'] as const).map((h) => `${f.hours[h].n} | ${fmt(f.hours[h].p50)} | ${fmt(f.hours[h].p99)}`)
        console.log(`| ${c} | ${side} | ${cells.join(' | ')} |`)
      }
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
