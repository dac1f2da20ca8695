// DATABASE_URL=postgres://…/postgres npm run bench:feed -- [--schemes N] [--searches N] [--rounds R]
// What the change feed and the webhook outbox cost the writers and the searches, measured in
// one sitting against a baseline with the feed's triggers turned off (docs/feeds.md, "Cost"):
//  1. bulk load (the generator's path, as `npm run generate`) of N schemes into a fresh
//     database: triggers off / feed on / feed on with an active webhook subscription (outbox);
//  2. searches through the app while a writer edits schemes: feed off and worker off / feed on,
//     a subscription, and the worker delivering to a local receiver.
// Rounds alternate the variants so that a drift of the machine hits each alike.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Writable } from 'node:stream'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { connect, type Db } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { generator } from '../src/seed/generate.ts'
import { loadGenerated } from '../src/seed/load.ts'
import { loadPlaces } from '../src/seed/places.ts'
import { ukToday } from '../src/seed/random.ts'
import { newSecret } from '../src/feeds/webhooks/signature.ts'

const { values } = parseArgs({ options: { schemes: { type: 'string', default: '20000' }, searches: { type: 'string', default: '400' }, rounds: { type: 'string', default: '2' } } })
const SCHEMES = Number(values.schemes)
const SEARCHES = Number(values.searches)
const ROUNDS = Number(values.rounds)
const url = process.env.DATABASE_URL
if (!url) {
  console.error('bench:feed needs DATABASE_URL (a PostgreSQL + PostGIS server; it makes and drops its own databases)')
  process.exit(1)
}

const CHANGE_TRIGGERS: Array<[string, string]> = [
  ['schemes', 'changes_schemes_insert'], ['schemes', 'changes_schemes_update'], ['schemes', 'changes_schemes_delete'],
  ['sessions', 'changes_sessions_insert'], ['sessions', 'changes_sessions_update'], ['sessions', 'changes_sessions_delete'],
  ['venues', 'changes_venues_insert'], ['venues', 'changes_venues_update'], ['venues', 'changes_venues_delete'],
  ['organisations', 'changes_organisations_insert'], ['organisations', 'changes_organisations_update'],
]
async function feedTriggers(db: Db, on: boolean): Promise<void> {
  for (const [table, trigger] of CHANGE_TRIGGERS) await db.exec(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`)
}

async function freshDatabase(name: string): Promise<Db> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const u = new URL(url!)
  u.pathname = `/${name}`
  const db = await connect({ url: u.toString(), statementTimeoutMs: 600000, poolMax: 4 })
  await migrate(db)
  return db
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
}

const places = await loadPlaces()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }

type LoadVariant = 'feed off' | 'feed on' | 'feed + outbox'
const loads: Record<LoadVariant, number[]> = { 'feed off': [], 'feed on': [], 'feed + outbox': [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of Object.keys(loads) as LoadVariant[]) {
    const name = 'signpost_bench_feed'
    const db = await freshDatabase(name)
    if (variant === 'feed off') await feedTriggers(db, false)
    if (variant === 'feed + outbox') {
      await db.query(sql`INSERT INTO webhook_subscriptions (url, events, secret) VALUES ('https://hooks.example.org.uk/x', '{scheme.created}', ${newSecret()})`)
    }
    const started = performance.now()
    await loadGenerated(db, generator(places, 1, ukToday()), SCHEMES, { batch: 5000, jobs: 2 })
    loads[variant].push((performance.now() - started) / 1000)
    await db.close()
    await dropDatabase(name)
    process.stderr.write(`load round ${round + 1} ${variant}: ${loads[variant].at(-1)!.toFixed(1)} s\n`)
  }
}

// Searches while a writer edits: the feed's triggers and the worker are what differ.
const db = await freshDatabase('signpost_bench_feed')
await loadGenerated(db, generator(places, 1, ukToday()), SCHEMES, { batch: 5000, jobs: 2 })
await db.exec('ANALYZE')
const receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(204).end()) })
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`
const ids = (await db.query<{ id: string }>(sql`SELECT id FROM schemes ORDER BY id LIMIT 200`)).map((r) => r.id)
const PLACES = [[51.4663, -0.0708], [53.4808, -2.2426], [52.4862, -1.8904], [55.9533, -3.1883], [51.4545, -2.5879], [54.9783, -1.6178]]

async function searchRun(feed: boolean): Promise<number[]> {
  await feedTriggers(db, feed)
  await db.exec('DELETE FROM webhook_subscriptions')
  if (feed) await db.query(sql`INSERT INTO webhook_subscriptions (url, events, secret) VALUES (${hookUrl}, '{scheme.updated}', ${newSecret()})`)
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', FEED_WORKER: String(feed), WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '100',
    RATE_LIMIT_READ_PER_MINUTE: '1000000', RATE_LIMIT_WRITE_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' })
  const app = await buildApp(config, { db, logStream: new Writable({ write: (_c, _e, cb) => cb() }) })
  await app.ready()
  let writing = true
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      await db.query(sql`UPDATE schemes SET description = ${`Edited ${i}`}, updated_at = now(), version = version + 1 WHERE id = ${ids[i % ids.length]}`)
    }
  })()
  const times: number[] = []
  for (let i = 0; i < SEARCHES; i++) {
    const [lat, lon] = PLACES[i % PLACES.length]
    const started = performance.now()
    const res = await app.inject({ method: 'GET', url: `/v1/schemes?lat=${lat}&lon=${lon}&radius_m=8000&limit=20` })
    times.push(performance.now() - started)
    if (res.statusCode !== 200) throw new Error(`search: ${res.statusCode} ${res.body}`)
  }
  writing = false
  await writer
  await app.close()
  return times
}

const searches: Record<string, number[]> = { 'feed off, no worker': [], 'feed, outbox and worker on': [] }
for (let round = 0; round < ROUNDS; round++) {
  searches['feed off, no worker'].push(...await searchRun(false))
  searches['feed, outbox and worker on'].push(...await searchRun(true))
}
const [delivered] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`)
receiver.close()
await db.close()
await dropDatabase('signpost_bench_feed')

console.log(`\nbulk load of ${SCHEMES} schemes (median of ${ROUNDS}):`)
const base = median(loads['feed off'])
for (const [variant, xs] of Object.entries(loads)) {
  console.log(`  ${variant.padEnd(16)} ${median(xs).toFixed(1).padStart(7)} s  ${(SCHEMES / median(xs)).toFixed(0).padStart(6)} schemes/s  ${(100 * (median(xs) / base - 1)).toFixed(1).padStart(6)}%`)
}
console.log(`\nsearches while a writer edits schemes (${SEARCHES * ROUNDS} each; ${delivered.n} webhook deliveries made during the "on" runs):`)
const b50 = pct(searches['feed off, no worker'], 0.5)
const b99 = pct(searches['feed off, no worker'], 0.99)
for (const [variant, xs] of Object.entries(searches)) {
  console.log(`  ${variant.padEnd(28)} p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} ms (${(100 * (pct(xs, 0.5) / b50 - 1)).toFixed(1)}%)  ` +
    `p99 ${pct(xs, 0.99).toFixed(1).padStart(6)} ms (${(100 * (pct(xs, 0.99) / b99 - 1)).toFixed(1)}%)`)
}
