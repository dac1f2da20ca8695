import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { connect } from '../../src/db/client.ts'
import { TEST_LIMITS } from '../helper.ts'
import * as cluster from './cluster.ts'
import { SchemeWriteLoad, httpSend, type Send } from './write-load.ts'

// Proof (b): SIGTERM to a real `src/server.ts` process while it takes writes. The process
// stops accepting, finishes what is in flight, closes the database and exits 0; every
// write it acknowledged is in the database afterwards, exactly.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as any; s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}

const why = cluster.unavailable()
t.test('SIGTERM under a write load: in-flight writes finish, every 2xx is durable, exit 0', { skip: why ? `needs a PostgreSQL server machine: ${why}` : false }, async (t) => {
  const url = await cluster.takeCluster(t)
  // The admin key goes straight into the database, as `npm run keys:create` would put it.
  const keys = await import('../../src/repositories/keys.ts').catch(() => undefined)
  if (!keys) { t.skip('key storage is not there yet', () => {}); return }
  const db = await connect({ url })
  const admin = (await keys.insertKey(db, { role: 'admin', label: 'sigterm proof' })).key
  await db.close()

  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_LIMITS, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false', DB_POOL_MAX: '6' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  const ready = async () => {
    for (let i = 0; i < 120; i++) {
      try { if ((await fetch(`${base}/readyz`)).status === 200) return true } catch { /* not yet */ }
      if (child.exitCode !== null) return false
      await new Promise((r) => setTimeout(r, 250))
    }
    return false
  }
  t.ok(await ready(), 'the server came up on the fault cluster')
  const probe = await fetch(`${base}/v1/schemes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (probe.status === 404) { child.kill('SIGTERM'); await exited; t.skip('POST /v1/schemes is not there yet', () => {}); return }

  let signalledAt = 0
  const afterSignal: Record<string, number> = {}
  const drainingNotProblem: string[] = []
  const http = httpSend(base)
  const send: Send = async (...args) => {
    const a = await http(...args)
    if (signalledAt && a.status) afterSignal[a.status] = (afterSignal[a.status] ?? 0) + 1
    if (signalledAt && a.status === 503 && !a.body.includes('"type":"/problems/unavailable"')) drainingNotProblem.push(a.body.slice(0, 120))
    return a
  }
  const load = new SchemeWriteLoad(send)
  await load.setup(admin)

  const started = Date.now()
  let exitInfo: { code: number | null; signal: string | null; at: number } | undefined
  void exited.then((e) => { exitInfo = e })
  const loading = load.run(8, () => exitInfo !== undefined || Date.now() - started > 30000)
  await new Promise((r) => setTimeout(r, 3000))
  signalledAt = Date.now()
  child.kill('SIGTERM')
  const e = await exited
  await loading

  t.equal(e.code, 0, 'the server exited 0')
  const drainMs = e.at - signalledAt
  t.ok(drainMs < 10000, `it drained and exited ${drainMs} ms after SIGTERM`)
  t.match(out, /shutting down/, 'it said it was shutting down')
  t.notMatch(out, /"level":(50|60)/, 'no error or fatal log lines')

  const f = await load.verify((text, values) => cluster.admin(text, values, new URL(url).pathname.slice(1)))
  t.comment(`SIGTERM after ${signalledAt - started} ms of load; exit ${e.code} ${drainMs} ms later; answers after the signal ${JSON.stringify(afterSignal)}`)
  t.comment(`writes attempted ${f.attempted}, acknowledged ${f.acknowledged}, failed ${f.failed} (creates ${f.creates.acknowledged}/${f.creates.attempted}, updates ${f.updates.acknowledged}/${f.updates.attempted}); lost ${f.lost}; half written ${f.halfWritten}; failed but committed whole ${f.committedUnacknowledged}; statuses ${JSON.stringify(f.statuses)}`)
  t.same(f.problems, [], 'every acknowledged write present and exact; every scheme whole')
  t.equal(f.lost, 0, 'lost = 0')
  t.equal(f.halfWritten, 0, 'nothing half written')
  t.ok(f.acknowledged > 20, 'the load was real')
  t.same(drainingNotProblem, [], 'requests refused while draining got a 503 problem+json')
  const codes = Object.keys(f.statuses).map(Number)
  t.same(codes.filter((c) => c >= 500 && c !== 503), [], 'refusals while closing were 503s (or closed connections), never 500')
})

t.test('the server exits 1 with one message when its database cannot be reached at start', async (t) => {
  const port = await freePort()
  const { spawnSync } = await import('node:child_process')
  // bad input: a DATABASE_URL where nothing listens
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60000,
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', PORT: String(port), DB_CONNECT_TIMEOUT_MS: '500', LOG_LEVEL: 'silent' },
  })
  t.equal(r.status, 1)
  t.match(r.stderr, /^signpost: cannot start\./m)
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
})
