// npm run bench:oruk-stream -- [--forms minimal,summary,full] [--fill N]
//
// The unpaginated ORUK stream (GET /oruk/services?format=ndjson) over the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR; fill it first with `npm run generate`, or
// with --fill N, which adds N plain schemes by SQL in seconds: 200 organisations, 5,000 venues
// and two weekly sessions a scheme):
// starts the server on 127.0.0.1, reads the whole stream once per form over HTTP, a chunk at a
// time, and prints the lines, bytes, time to the first byte and to the end, and the process's
// peak RSS after each (the client, the server and an embedded database share the process, so
// the figure bounds all three). Memory stays flat when the peak does not grow with the lines.
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { performance } from 'node:perf_hooks'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'

const { values: args } = parseArgs({ options: { forms: { type: 'string', default: 'minimal,summary,full' }, fill: { type: 'string', default: '0' } } })
const QUERY: Record<string, string> = { minimal: 'minimal=true', summary: '', full: 'full=true' }
const forms = args.forms!.split(',')
for (const f of forms) if (!(f in QUERY)) throw new Error(`--forms: ${f} is not one of ${Object.keys(QUERY).join(', ')}`)

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: 'false', RATE_LIMIT_READ_PER_MINUTE: '1000000',
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' })
const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })
await migrate(db)
const fill = Number(args.fill)
if (fill > 0) {
  const started = performance.now()
  await db.query(`INSERT INTO organisations (name, description) SELECT 'Bench organisation ' || n, 'Groups.' FROM generate_series(1, 200) n`)
  await db.query(`INSERT INTO venues (organisation_id, name, line1, town, postcode, location)
    SELECT o.ids[1 + n % 200], 'Bench hall ' || n, n || ' High Street', 'London', 'SE15 4AA',
      ST_SetSRID(ST_MakePoint(-0.07 + (n % 100) * 0.001, 51.47 + (n / 100) * 0.001), 4326)::geography
    FROM generate_series(0, 4999) n, (SELECT array_agg(id ORDER BY id) AS ids FROM organisations WHERE name LIKE 'Bench organisation %') o`)
  // scheme n meets at venue n % 5000 (its name says which), twice a week
  const venues = sql`(SELECT array_agg(id ORDER BY id) AS ids, array_agg(organisation_id ORDER BY id) AS orgs FROM venues WHERE name LIKE 'Bench hall %') v`
  await db.query(sql`INSERT INTO schemes (organisation_id, name, description, categories, needs, languages, contact_email, min_age)
    SELECT v.orgs[1 + n % 5000], 'Bench group ' || n, 'A friendly group that meets twice a week; everyone welcome, no need to book.',
      '{walking,music_singing}', '{loneliness}', '{en}', 'group' || n || '@example.org.uk', 18
    FROM generate_series(1, ${fill}::int) n, ${venues}`)
  await db.query(sql`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
    SELECT s.id, p, v.ids[1 + substring(s.name from 13)::int % 5000], 'weekly', CASE p WHEN 0 THEN '{tue}'::text[] ELSE '{sat}'::text[] END, '10:00', '12:00'
    FROM schemes s CROSS JOIN generate_series(0, 1) p, ${venues}
    WHERE s.name LIKE 'Bench group %'`)
  console.log(`filled ${fill} schemes in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
const app = await buildApp(config, { db })
await app.listen({ host: '127.0.0.1', port: 0 })
const { port } = app.server.address() as { port: number }
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`
const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM schemes WHERE deleted_at IS NULL AND status = 'active'`)
console.log(`${n} published schemes; peak RSS before: ${mb(process.resourceUsage().maxRSS)}`)

for (const form of forms) {
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${port}/oruk/services?format=ndjson&${QUERY[form]}`)
  if (res.status !== 200) throw new Error(`${form}: ${res.status} ${await res.text()}`)
  let firstByte = 0
  let bytes = 0
  let lines = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!firstByte) firstByte = performance.now() - started
    bytes += chunk.byteLength
    for (const b of chunk) if (b === 10) lines++
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`${form}: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (first byte ${firstByte.toFixed(0)} ms, ` +
    `${Math.round(lines / seconds)} services/s); peak RSS so far ${mb(process.resourceUsage().maxRSS)}`)
}
await app.close()
await db.close()
