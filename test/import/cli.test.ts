import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { parse } from 'csv-parse/sync'
import { SERVER_URL, withDatabase } from '../helper.ts'
import { connect, type Db } from '../../src/db/client.ts'
import { generateCsv } from './generate.ts'
import { withListingTerms } from '../fixtures/oruk-listing.ts'

// npm run import as a user runs it: a child process on a database of its own (a new
// PostgreSQL database when DATABASE_URL is set, else an embedded one in a temporary folder).

const ROOT = new URL('../../', import.meta.url).pathname
const TSX = import.meta.resolve('tsx')
const dir = mkdtempSync(join(tmpdir(), 'signpost-import-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

interface Target { env: Record<string, string>; open(): Promise<Db> }

async function target(t: any): Promise<Target> {
  if (!SERVER_URL) {
    const dataDir = join(dir, `db-${randomBytes(4).toString('hex')}`)
    return { env: { DATA_DIR: dataDir }, open: () => connect({ dataDir }) }
  }
  const name = `signpost_test_cli_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: SERVER_URL })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.end()
  })
  const url = withDatabase(SERVER_URL, name)
  return { env: { DATABASE_URL: url }, open: () => connect({ url }) }
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL, DATA_DIR, ...rest } = process.env
    void DATABASE_URL; void DATA_DIR
    // run from the temporary folder, so that reports written to the working directory land there
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'scripts/import.ts'), ...args], { cwd: dir, env: { ...rest, LOG_LEVEL: 'silent', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => { stdout += c })
    child.stderr.on('data', (c) => { stderr += c })
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
const seconds = (stdout: string) => Number(/; ([\d.]+) s\n/.exec(stdout)?.[1])

t.test('usage mistakes exit 2 with a message', async (t) => {
  for (const args of [[], ['a.csv', 'b.csv'], ['a.csv', '--organisation', 'nope'], ['a.csv', '--colour'], [join(dir, 'missing.csv')]]) {
    const r = await run(args)
    t.equal(r.code, 2, args.join(' ') || '(no arguments)')
    t.match(r.stderr, /usage|--organisation|cannot read|Unknown option/)
  }
})

t.test('the example CSV: progress, a summary, a report; again: unchanged; a dry run', async (t) => {
  const db = await target(t)
  const report = join(dir, 'example.report.csv')
  const first = await run([join(ROOT, 'docs/import-example.csv'), '--report', report], db.env)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /importing \[.*\] 100% \| 3\/3 schemes/, 'a progress bar')
  t.match(first.stdout, /schemes: 3 created, 0 updated, 0 unchanged, 0 rejected/)
  t.equal(readFileSync(report, 'utf8'), 'row,field,level,message\n', 'an empty report')
  const again = await run([join(ROOT, 'docs/import-example.csv'), '--report', report], db.env)
  t.match(again.stdout, /schemes: 0 created, 0 updated, 3 unchanged, 0 rejected/)
  const edited = join(dir, 'edited.csv')
  writeFileSync(edited, readFileSync(join(ROOT, 'docs/import-example.csv'), 'utf8').replace('Evening walk and talk', 'Evening walk and chat').replace('16,,true', 'sixteen,,true'))
  const dry = await run([edited, '--dry-run'], db.env)
  t.equal(dry.code, 1, 'errors: exit 1')
  t.match(dry.stdout, /^Dry run \(nothing written\): schemes: 0 created, 1 updated, 1 unchanged, 1 rejected/)
  const lines = parse(readFileSync(`${edited}.report.csv`, 'utf8'), { columns: true })
  t.same(lines, [{ row: '4', field: 'min_age', level: 'error', message: 'must be integer' }], 'the report names the row and column, in the working directory by default')
  t.equal(statSync(`${edited}.report.csv`).mode & 0o777, 0o600, 'readable by its owner only')
  const conn = await db.open()
  const names = (await conn.query('SELECT name FROM schemes ORDER BY name')).map((r: any) => r.name)
  await conn.close()
  t.same(names, ['Evening walk and talk', 'Library book club', 'Telephone befriending'], 'the dry run wrote nothing')
})

t.test('a file that is not an export is refused: nothing of it echoed, no report beside it or anywhere', async (t) => {
  // refused before any database is opened
  const db = { env: { DATA_DIR: join(dir, 'never-opened') } }
  // bad inputs: a password file (the probe ran the import on /etc/shadow), one named .csv, and text named .json
  const secretDir = join(dir, 'etc')
  mkdirSync(secretDir, { recursive: true })
  const secret = 'root:$y$j9T$Secr3tHash:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n'
  for (const name of ['shadow', 'shadow.csv', 'shadow.json']) {
    const file = join(secretDir, name)
    writeFileSync(file, secret)
    const r = await run([file], db.env)
    t.equal(r.code, 2, `${name}: refused`)
    t.match(r.stderr, /not a Signpost CSV template|not CSV|not JSON/, `${name}: says why`)
    t.notMatch(r.stdout + r.stderr, /root|Secr3t|daemon|19700/, `${name}: nothing of the file is printed`)
    t.notOk(existsSync(`${file}.report.csv`), `${name}: no report beside the input`)
    t.notOk(existsSync(join(dir, `${name}.report.csv`)), `${name}: nor in the working directory`)
  }
  t.notOk(existsSync(join(dir, 'never-opened')), 'no database was opened')
})

t.test('the ORUK examples through the command: the bad location is in the report', async (t) => {
  const db = await target(t)
  const report = join(dir, 'oruk.report.csv')
  const example = join(dir, 'service_full.json')
  writeFileSync(example, JSON.stringify(withListingTerms(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/oruk-examples/service_full.json'), 'utf8')))))
  const r = await run([example, '--report', report], db.env)
  t.equal(r.code, 1)
  t.match(r.stdout, /schemes: 1 created/)
  t.match(readFileSync(report, 'utf8'), /service_at_locations\/0\/location\/latitude,error,must be at most 60.9 \(this location is not loaded\)/)
})

t.test('10,000 CSV rows load in less than a minute, and again unchanged', async (t) => {
  const db = await target(t)
  const file = join(dir, 'ten-thousand.csv')
  writeFileSync(file, generateCsv(10000))
  const first = await run([file], db.env)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /100% \| 2500\/2500 schemes/, 'with a progress bar')
  t.match(first.stdout, /schemes: 2500 created, 0 updated, 0 unchanged, 0 rejected\nvenues: 500 created/)
  const took = seconds(first.stdout)
  t.comment(`10,000 rows (2,500 schemes, 500 venues) imported in ${took} s on ${SERVER_URL ? 'PostgreSQL' : 'embedded PGlite'}`)
  t.ok(took < 60, `${took} s < 60 s`)
  const again = await run([file], db.env)
  t.match(again.stdout, /schemes: 0 created, 0 updated, 2500 unchanged/)
  t.comment(`again, unchanged: ${seconds(again.stdout)} s`)
  t.ok(seconds(again.stdout) < 60)
  const conn = await db.open()
  const [n] = await conn.query('SELECT (SELECT count(*) FROM schemes) AS schemes, (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM venues) AS venues, (SELECT count(*) FROM scheme_history) AS history')
  await conn.close()
  t.same(n, { schemes: 2500, sessions: 10000, venues: 500, history: 2500 })
})
