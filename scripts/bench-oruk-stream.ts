// npm run bench:oruk-stream -- [--forms minimal,summary,full]
//
// The unpaginated ORUK stream (GET /oruk/services?format=ndjson) over the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR; fill it first with `npm run generate`):
// starts the server on 127.0.0.1, reads the whole stream once per form over HTTP, a chunk at a
// time, and prints the lines, bytes, time to the first byte and to the end, and the process's
// peak RSS after each (the client, the server and an embedded database share the process, so
// the figure bounds all three). Memory stays flat when the peak does not grow with the lines.
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'

const { values: args } = parseArgs({ options: { forms: { type: 'string', default: 'minimal,summary,full' } } })
const QUERY: Record<string, string> = { minimal: 'minimal=true', summary: '', full: 'full=true' }
const forms = args.forms!.split(',')
for (const f of forms) if (!(f in QUERY)) throw new Error(`--forms: ${f} is not one of ${Object.keys(QUERY).join(', ')}`)

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: 'false', RATE_LIMIT_READ_PER_MINUTE: '1000000',
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' })
const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })
await migrate(db)
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
