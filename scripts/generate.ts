// npm run generate -- --schemes N [--seed S] [--batch B] [--jobs J]
// Fills the configured database (DATABASE_URL, else the embedded one in DATA_DIR) with N
// synthetic schemes spread over GB where people live (src/seed/generate.ts). Same seed,
// same data: a rerun skips what is already there; another seed adds a new set.
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { generator } from '../src/seed/generate.ts'
import { loadGenerated } from '../src/seed/load.ts'
import { loadPlaces } from '../src/seed/places.ts'
import { ukToday } from '../src/seed/random.ts'

const USAGE = 'usage: npm run generate -- --schemes N [--seed S] [--batch B] [--jobs J]'

class UsageError extends Error {}

function options() {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({ options: { schemes: { type: 'string' }, seed: { type: 'string', default: '1' }, batch: { type: 'string', default: '5000' }, jobs: { type: 'string', default: '2' } } }).values
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0])
  }
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}${v === undefined ? ' (required)' : `, got ${v}`}`)
    return Number(v)
  }
  return { schemes: int('schemes', values.schemes, 1), seed: int('seed', values.seed, 0), batch: int('batch', values.batch, 4), jobs: int('jobs', values.jobs, 1) }
}

try {
  const opts = options()
  const config = loadConfig()
  const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, statementTimeoutMs: 600000, poolMax: opts.jobs + 1 })
  try {
    await migrate(db)
    const started = performance.now()
    const gen = generator(await loadPlaces(), opts.seed, ukToday())
    const tty = process.stderr.isTTY
    const bar = new cliProgress.SingleBar({
      stream: process.stderr, format: 'schemes {bar} {percentage}% | {value}/{total} | {rate}/s | eta {eta_formatted}', hideCursor: true,
    }, cliProgress.Presets.shades_classic)
    if (tty) bar.start(opts.schemes, 0, { rate: 0 })
    let lastLine = 0
    const totals = await loadGenerated(db, gen, opts.schemes, {
      batch: opts.batch,
      jobs: opts.jobs,
      onBatch(done) {
        const seconds = (performance.now() - started) / 1000
        const rate = Math.round(done / seconds)
        if (tty) bar.update(done, { rate })
        else if (done === opts.schemes || seconds - lastLine >= 10) {
          lastLine = seconds
          process.stderr.write(`generate: ${done}/${opts.schemes} schemes (${Math.round((100 * done) / opts.schemes)}%), ${rate}/s, ${seconds.toFixed(0)} s\n`)
        }
      },
    })
    if (tty) bar.stop()
    const loaded = (performance.now() - started) / 1000
    await db.exec('ANALYZE organisations; ANALYZE schemes; ANALYZE sessions')
    // and the visibility map, so that the place search's scan of venues.pt reads no rows
    await db.exec('VACUUM (ANALYZE) venues')
    const total = (performance.now() - started) / 1000
    console.log(`generated ${totals.schemes} schemes, ${totals.organisations} organisations, ${totals.venues} venues, ${totals.sessions} sessions ` +
      `(seed ${opts.seed}${totals.schemes < opts.schemes ? `; ${opts.schemes - totals.schemes} were already there` : ''}) in ${loaded.toFixed(1)} s ` +
      `(${Math.round(opts.schemes / loaded)} schemes/s), ANALYZE and VACUUM ${(total - loaded).toFixed(1)} s`)
  } finally {
    await db.close()
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err instanceof UsageError ? `generate: ${err.message}\n${USAGE}` : err)
  process.exit(1)
}
