// npm run import -- FILE [--dry-run] [--report FILE] [--organisation ID]
// Loads an Open Referral UK / HSDS JSON export or a CSV in the template (docs/import.md).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { readImport } from '../src/import/read.ts'
import { runImport } from '../src/import/run.ts'
import { reportCsv, summary } from '../src/import/report.ts'
import { isUuid } from '../src/domain/ids.ts'

const USAGE = 'usage: npm run import -- FILE [--dry-run] [--report FILE] [--organisation ID]'

async function main(): Promise<number> {
  let args
  try {
    args = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, report: { type: 'string' }, organisation: { type: 'string' }, help: { type: 'boolean' } } })
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    return 2
  }
  const file = args.positionals[0]
  if (args.values.help || !file || args.positionals.length > 1) {
    console.error(USAGE)
    return args.values.help ? 0 : 2
  }
  const organisationId = args.values.organisation
  if (organisationId !== undefined && !isUuid(organisationId)) {
    console.error('--organisation must be an organisation id (a UUID)')
    return 2
  }
  const dryRun = Boolean(args.values['dry-run'])
  // In the working directory, not beside the input: the input's folder may be anyone's (/etc).
  const reportFile = args.values.report ?? `${basename(file)}.report.csv`
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    console.error(`cannot read ${file}: ${(err as Error).message}`)
    return 2
  }

  const read = readImport(text, basename(file), { organisationId: organisationId?.toLowerCase() })
  // Not an export at all (no template header, not JSON): refused before anything is written,
  // and nothing of the file is printed.
  const refusal = read.units.length === 0 ? read.problems.find((p) => p.level === 'error' && p.row === 1) : undefined
  if (refusal) {
    console.error(`${file}: ${refusal.message}. Nothing imported; no report written.`)
    return 2
  }

  const started = performance.now()
  const config = loadConfig()
  const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS })
  try {
    await migrate(db)
    const opened = performance.now()
    const bar = new cliProgress.SingleBar({
      format: 'importing [{bar}] {percentage}% | {value}/{total} schemes | {duration_formatted}',
      stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000, hideCursor: true,
    }, cliProgress.Presets.shades_classic)
    bar.start(read.units.length, 0)
    const result = await runImport(db, read.units, { dryRun, onProgress: (done) => bar.update(done) })
    bar.stop()
    result.problems.unshift(...read.problems)
    // The report quotes the records: readable by its owner only (mode applies when created;
    // chmod covers a file that was already there).
    writeFileSync(reportFile, reportCsv(result.problems), { mode: 0o600 })
    chmodSync(reportFile, 0o600)
    console.log(summary(result, (performance.now() - opened) / 1000, dryRun))
    console.log(`(opening and migrating the database took ${((opened - started) / 1000).toFixed(1)} s more)`)
    console.log(`report: ${reportFile}`)
    return result.problems.some((p) => p.level === 'error') ? 1 : 0
  } finally {
    await db.close()
  }
}

main().then((code) => { process.exitCode = code }, (err) => {
  console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err)
  process.exitCode = 1
})
