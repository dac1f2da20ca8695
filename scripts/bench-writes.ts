// npm run bench:writes: the cost of writing a large scheme at a busy venue (issue 12, item 4).
//
//   DATABASE_URL=postgres://…/empty_db npm run bench:writes -- [--filler 5000] [--sessions 200] [--runs 20] [--until 0008]
//
// Migrates the database (with --until, only the migrations up to that name: the figures from
// before a migration), fills one venue with `filler` weekly sessions of other schemes, then
// through the API (in process, app.inject, the whole request path) creates a scheme of
// `sessions` weekly sessions at that venue and edits it (PATCH of every session's time),
// `runs` times each, and prints p50/p99/max of each. Without DATABASE_URL: the embedded
// database. Writes into the database it is given: use an empty one.
import { mkdtempSync, copyFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate.ts'
import { insertKey } from '../src/repositories/keys.ts'

const { values: args } = parseArgs({
  options: {
    filler: { type: 'string', default: '5000' },
    sessions: { type: 'string', default: '200' },
    runs: { type: 'string', default: '20' },
    until: { type: 'string' },
  },
})
const filler = Number(args.filler)
const perScheme = Number(args.sessions)
const runs = Number(args.runs)

function migrationsUntil(until: string | undefined): string {
  if (!until) return MIGRATIONS_DIR
  const dir = mkdtempSync(join(tmpdir(), 'signpost-migrations-'))
  for (const f of readdirSync(MIGRATIONS_DIR)) if (f.endsWith('.sql') && f.slice(0, until.length) <= until) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f))
  return dir + '/'
}

const db = await connect({ url: process.env.DATABASE_URL || undefined })
console.log(`migrated: ${(await migrate(db, migrationsUntil(args.until))).join(', ') || 'nothing new'}`)
const app = await buildApp(loadConfig({
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  LOG_LEVEL: 'warn', SEED_DEMO: 'false', RATE_LIMIT_WRITE_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
}), { db })
await app.ready()
const admin = (await insertKey(db, { role: 'admin', label: 'bench-writes' })).key

async function api(method: 'POST' | 'PATCH', url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, payload: JSON.stringify(body), headers: { authorization: `Bearer ${admin}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', ...headers } })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 500)}`)
  return res
}

const org = (await api('POST', '/v1/organisations', { name: `Bench writes ${Date.now()}` })).json()
const venue = (await api('POST', '/v1/venues', {
  organisation_id: org.id, name: 'Busy Hall', address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4AA' }, location: { lat: 51.4703, lon: -0.0686 },
})).json()

// The filler straight into the tables, as the bulk load does: its bits once at the end.
await db.transaction(async (tx) => {
  await tx.query("SET LOCAL signpost.bulk_search_bits = 'on'")
  await tx.query(sql`WITH s AS (
      INSERT INTO schemes (organisation_id, name, description, categories, delivery, contact_phone)
      SELECT ${org.id}::uuid, 'Filler ' || g, 'A filler scheme', '{walking}', '{in_person}', '020 7946 0958' FROM generate_series(1, ${Math.ceil(filler / perScheme)}::int) g
      RETURNING id)
    INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
    SELECT s.id, p, ${venue.id}::uuid, 'weekly', '{mon}', '10:00', '11:00'
    FROM s CROSS JOIN generate_series(0, ${perScheme - 1}::int) p
    LIMIT ${filler}::int`)
  await tx.query(sql`SELECT venues_search_bits_refresh(ARRAY[${venue.id}::uuid])`)
})
const [{ n }] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM sessions WHERE venue_id = ${venue.id}::uuid`)

const sessions = (starts: string, ends: string) => Array.from({ length: perScheme }, (_, i) => ({
  venue_id: venue.id, frequency: 'weekly', days: [['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][i % 7]], starts, ends,
}))
const body = {
  organisation_id: org.id, name: 'Big scheme', description: 'A scheme with many sessions a week', categories: ['walking'],
  delivery: ['in_person'], contact: { phone: '020 7946 0958' }, sessions: sessions('18:00', '19:00'),
}
const timed = async (fn: () => Promise<unknown>) => { const t0 = performance.now(); await fn(); return performance.now() - t0 }
const creates: number[] = []
const edits: number[] = []
const failures: string[] = []
for (let i = 0; i < runs; i++) {
  let id = ''
  let etag = ''
  try {
    creates.push(await timed(async () => { const r = await api('POST', '/v1/schemes', body); id = r.json().id; etag = String(r.headers.etag) }))
    edits.push(await timed(() => api('PATCH', `/v1/schemes/${id}`, { sessions: sessions('09:00', '10:00') }, { 'if-match': etag })))
  } catch (err) {
    // before migrations/0009 a write at a busy venue ran into the statement timeout (a 503)
    failures.push((err as Error).message.slice(0, 120))
  }
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] }
const row = (name: string, xs: number[]) => xs.length === 0 ? console.log(`${name.padEnd(8)} no write succeeded`) : console.log(`${name.padEnd(8)} p50 ${pct(xs, 50).toFixed(0).padStart(6)} ms   p99 ${pct(xs, 99).toFixed(0).padStart(6)} ms   max ${Math.max(...xs).toFixed(0).padStart(6)} ms`)
console.log(`${db.kind}: ${perScheme}-session scheme at a venue of ${n} sessions at the start (grows by ${perScheme} a run), ${runs} runs`)
row('create', creates)
row('edit', edits)
if (failures.length > 0) console.log(`${failures.length} run(s) failed, the first: ${failures[0]}`)
await app.close()
await db.close()
