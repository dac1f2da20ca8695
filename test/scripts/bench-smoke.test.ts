/**
 * A small run of the benchmark scripts, so that they keep working: `npm run generate`
 * writes 1,000 schemes into a fresh database, then `npm run bench` starts the server on it
 * and drives the search mix for 2 s at concurrency 1 and 4, API and SQL. The figures are
 * not judged (this is not a timed test), only that the table is printed with throughput on
 * both sides and no errors. Server only: the benchmark compares the API with a PostgreSQL
 * server's own cost, which the embedded database does not have.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DB_KIND, freshDb, freshDbUrl } from '../helper.ts'
import { freePort } from '../fixtures/ports.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Runs `node --import=tsx <script> ...args` in the repository; resolves with its output and exit code. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

t.test('generate 1,000 schemes, then a 2 s bench at concurrency 1 and 4', { skip: DB_KIND !== 'postgres' ? 'the bench needs a PostgreSQL server (set DATABASE_URL)' : false, timeout: 120000 }, async (t) => {
  const db = await freshDb(t)
  const url = freshDbUrl(db)!
  t.ok(url, 'the fresh database has a URL')

  const gen = await run('scripts/generate.ts', ['--schemes', '1000'], { DATABASE_URL: url })
  t.equal(gen.code, 0, 'generate exits 0')
  t.match(gen.out, /generated 1000 schemes/, 'generate reports the 1000 schemes')
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM schemes')
  t.equal(n, 1000, 'the schemes are in the database')

  const port = await freePort()
  const bench = await run('scripts/bench.ts', ['--duration', '2', '--concurrency', '1,4', '--mix', '40', '--port', String(port)], { DATABASE_URL: url })
  t.equal(bench.code, 0, 'bench exits 0')
  t.match(bench.out, /\| concurrency \| API req\/s \| API p50 ms \| API p90 ms \| API p99 ms \| SQL q\/s \|/, 'the table header')
  const live = Number(/dataset: (\d+) schemes/.exec(bench.out)?.[1])
  t.ok(live > 900 && live <= 1000, `over the generated dataset (${live} undeleted schemes)`)
  for (const c of [1, 4]) {
    const row = new RegExp(`^\\| ${c} \\| (.+) \\|$`, 'm').exec(bench.out)
    t.ok(row, `a row for concurrency ${c}`)
    if (!row) continue
    const cells = row[1].split(' | ')
    const [apiRate, , , , sqlRate] = cells.map(Number)
    t.ok(apiRate > 0, `API throughput at ${c} (${apiRate} req/s)`)
    t.ok(sqlRate > 0, `SQL throughput at ${c} (${sqlRate} q/s)`)
    t.equal(cells[cells.length - 1], '0/0', `no errors at ${c}, API or SQL`)
  }
  t.match(bench.out, /the loneliest hours beside the rest \(p50 and p99 ms; mix: evening \d+, night \d+, weekend \d+/, 'the evening, night and weekend shares')
  for (const side of ['API', 'SQL']) t.match(bench.out, new RegExp(`^\\| 4 \\| ${side} \\| \\d+ \\| `, 'm'), `their figures at 4, ${side}`)
  t.match(bench.out, /server peak RSS: \d+ MB/, 'the server\'s peak RSS')
  t.notMatch(bench.out, /warm-up: /, 'every request of the mix answered 200 in the warm-up')
  if (bench.code !== 0) t.comment(bench.out.slice(-2000))
})

t.test('bench:writes: a small run prints create and edit figures and no failure', { timeout: 240000 }, async (t) => {
  // its own database: a fresh one on the server, an in-memory one when embedded
  const url = DB_KIND === 'postgres' ? freshDbUrl(await freshDb(t))! : ''
  const r = await run('scripts/bench-writes.ts', ['--filler', '300', '--sessions', '20', '--runs', '2'], { DATABASE_URL: url })
  t.equal(r.code, 0, 'exits 0')
  t.match(r.out, /20-session scheme at a venue of 300 sessions at the start/)
  t.match(r.out, /^create\s+p50\s+\d+ ms\s+p99\s+\d+ ms/m, 'create figures')
  t.match(r.out, /^edit\s+p50\s+\d+ ms\s+p99\s+\d+ ms/m, 'edit figures')
  t.notMatch(r.out, /failed/, 'every write succeeded')
  if (r.code !== 0) t.comment(r.out.slice(-2000))
})
