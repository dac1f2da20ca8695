import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { connect } from '../../src/db/client.ts'
import { TEST_LIMITS } from '../helper.ts'
import * as cluster from './cluster.ts'
import { SchemeWriteLoad, httpSend, type Send } from './write-load.ts'
import { freePort } from '../fixtures/ports.ts'

// Proof (b): SIGTERM to a real `src/server.ts` process while it takes writes. The process
// stops accepting, finishes what is in flight, answers newcomers 503 problem+json, closes
// the database and exits 0; every write it acknowledged is in the database afterwards,
// exactly. The same when the process that started it (a shell, as under `npm start`) is the
// one that gets SIGTERM and dies without passing it on.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const alive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }

type Mode = 'direct' | 'orphaned'

async function scenario(t: any, url: string, admin: string, mode: Mode) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = { ...process.env, ...TEST_LIMITS, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false', DB_POOL_MAX: '6' }
  // orphaned: a shell in between that dies on SIGTERM and passes nothing on ("; true" keeps
  // it from exec'ing node in its place)
  const child = mode === 'direct'
    ? spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('sh', ['-c', `"${process.execPath}" --import tsx src/server.ts; true`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  let serverPid = 0
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL')
  })

  let up = false
  for (let i = 0; i < 120 && !up; i++) {
    try { up = (await fetch(`${base}/readyz`)).status === 200 } catch { /* not yet */ }
    if (child.exitCode !== null) break
    if (!up) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(up, `${mode}: the server came up on the fault cluster`)
  serverPid = Number(/"pid":(\d+)/.exec(out)?.[1] ?? 0)
  t.ok(serverPid > 0, `${mode}: its pid is in its log`)

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
  let gone = 0
  const watcher = (async () => {
    while (!gone) {
      if (signalledAt && !alive(serverPid)) gone = Date.now()
      else await new Promise((r) => setTimeout(r, 20))
      if (Date.now() - started > 40000) break
    }
  })()
  const loading = load.run(8, () => gone !== 0 || Date.now() - started > 40000)
  await new Promise((r) => setTimeout(r, mode === 'direct' ? 3000 : 2000))
  signalledAt = Date.now()
  child.kill('SIGTERM')
  const exitCode = mode === 'direct' ? await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code)))) : undefined
  await watcher
  await loading

  t.ok(gone, `${mode}: the server process ended`)
  if (mode === 'direct') t.equal(exitCode, 0, 'it exited 0')
  const drainMs = gone - signalledAt
  t.ok(drainMs < 10000, `${mode}: it drained and ended ${drainMs} ms after SIGTERM`)
  t.match(out, mode === 'direct' ? /"signal":"SIGTERM"[^\n]*shutting down/ : /"signal":"parent exited"[^\n]*shutting down/, `${mode}: it said why it was shutting down`)
  t.notMatch(out, /"level":(50|60)/, `${mode}: no error or fatal log lines`)

  const f = await load.verify((text, values) => cluster.admin(text, values, new URL(url).pathname.slice(1)))
  t.comment(`${mode}: SIGTERM after ${signalledAt - started} ms of load; server gone ${drainMs} ms later; answers after the signal ${JSON.stringify(afterSignal)}`)
  t.comment(`${mode}: writes attempted ${f.attempted}, acknowledged ${f.acknowledged}, failed ${f.failed} (creates ${f.creates.acknowledged}/${f.creates.attempted}, updates ${f.updates.acknowledged}/${f.updates.attempted}); lost ${f.lost}; half written ${f.halfWritten}; failed but committed whole ${f.committedUnacknowledged}; statuses ${JSON.stringify(f.statuses)}`)
  t.same(f.problems, [], `${mode}: every acknowledged write present and exact; every scheme whole`)
  t.equal(f.lost, 0, `${mode}: lost = 0`)
  t.equal(f.halfWritten, 0, `${mode}: nothing half written`)
  t.ok(f.acknowledged > 20, `${mode}: the load was real`)
  t.same(drainingNotProblem, [], `${mode}: requests refused while draining got a 503 problem+json`)
  const codes = Object.keys(f.statuses).map(Number)
  t.same(codes.filter((c) => c >= 500 && c !== 503), [], `${mode}: refusals while closing were 503s (or closed connections), never 500`)
}

const why = cluster.unavailable()
t.test('SIGTERM under a write load: in-flight writes finish, every 2xx is durable, exit 0', { skip: why ? `needs a PostgreSQL server machine: ${why}` : false }, async (t) => {
  const url = await cluster.takeCluster(t)
  // The admin key goes straight into the database, as `npm run keys:create` would put it.
  const { insertKey } = await import('../../src/repositories/keys.ts')
  const db = await connect({ url })
  const admin = (await insertKey(db, { role: 'admin', label: 'sigterm proof' })).key
  await db.close()
  await t.test('SIGTERM to the server process', (t: any) => scenario(t, url, admin, 'direct'))
  await t.test('SIGTERM to a shell that started it: the orphaned server drains by itself', (t: any) => scenario(t, url, admin, 'orphaned'))
})

t.test('the server exits 1 with one message when its database cannot be reached at start', async (t) => {
  const port = await freePort()
  // bad input: a DATABASE_URL where nothing listens
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60000,
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', PORT: String(port), DB_CONNECT_TIMEOUT_MS: '500', LOG_LEVEL: 'silent' },
  })
  t.equal(r.status, 1)
  t.match(r.stderr, /^signpost: cannot start\./m)
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
})
