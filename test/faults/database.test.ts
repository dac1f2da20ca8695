import t from 'tap'
import { Writable } from 'node:stream'
import type { InjectOptions } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { TEST_LIMITS } from '../helper.ts'
import * as cluster from './cluster.ts'

// Database faults against a PostgreSQL cluster of our own (port 5439): a frozen backend,
// a frozen server, an exhausted pool, a statement over its timeout, terminated idle
// connections, and the server stopped then started. Each must give a prompt 503
// problem+json (no hang, no crash, no internals in the body), /readyz must say 503 while
// the database is away, and the service must recover by itself.

const why = cluster.unavailable()
t.test('database faults give prompt 503s and the service recovers by itself', { skip: why ? `needs a PostgreSQL server machine: ${why}` : false }, faults)

const POOL = 4
const STATEMENT_MS = 3000
const CONNECT_MS = 1000
// A frozen server never answers: the client gives up after query_timeout, which client.ts
// sets to statement_timeout + 1 s. Nothing may take longer than that plus some slack.
const PROMPT_MS = STATEMENT_MS + 1000 + 1500

async function faults(t: any) {
  const url = await cluster.takeCluster(t)
  const database = new URL(url).pathname.slice(1)
  const logs: Array<Record<string, any>> = []
  const logStream = new Writable({ write(c, _e, cb) { for (const l of String(c).split('\n')) if (l.trim()) logs.push(JSON.parse(l)); cb() } })
  const config = loadConfig({
    ...TEST_LIMITS, LOG_LEVEL: 'info', SEED_DEMO: 'false', DATABASE_URL: url,
    DB_POOL_MAX: String(POOL), DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS), DB_CONNECT_TIMEOUT_MS: String(CONNECT_MS),
  })
  const app = await buildApp(config, { logStream })
  // Probes over the app's own pool: a read, a sleep, and a write in a transaction.
  app.get('/probe/read', async () => (await app.db.query('SELECT count(*)::int AS n FROM organisations'))[0])
  app.get('/probe/sleep/:ms', async (req: any) => { await app.db.query('SELECT pg_sleep($1::float / 1000)', [Number(req.params.ms)]); return { ok: true } })
  app.post('/probe/write', async (_req, reply) => {
    const row = await app.db.transaction(async (tx) => {
      const [o] = await tx.query(`INSERT INTO organisations (name) VALUES ('probe') RETURNING id`)
      await tx.query(`UPDATE organisations SET description = 'both statements' WHERE id = $1`, [o.id])
      return o
    })
    return reply.code(201).send(row)
  })
  await app.ready()
  t.teardown(() => app.close())

  const warm = async () => {
    const rs = await Promise.all(Array.from({ length: POOL }, () => app.inject('/probe/sleep/200')))
    t.same(rs.map((r) => r.statusCode), Array(POOL).fill(200), 'pool warmed: every connection open')
  }
  const timed = async (what: string, inject: string | InjectOptions) => {
    const started = Date.now()
    const r = await app.inject(inject)
    return { r, ms: Date.now() - started, what }
  }
  const expect503 = (x: { r: any; ms: number; what: string }) => {
    t.equal(x.r.statusCode, 503, `${x.what}: 503`)
    t.ok(x.ms < PROMPT_MS, `${x.what}: answered in ${x.ms} ms (< ${PROMPT_MS})`)
    t.match(x.r.headers['content-type'], /^application\/problem\+json/, `${x.what}: problem+json`)
    t.ok(Number(x.r.headers['retry-after']) >= 1, `${x.what}: Retry-After`)
    const body = x.r.json()
    t.match(body, { type: '/problems/unavailable', status: 503, title: 'Service unavailable' })
    t.notMatch(x.r.body, /\bat \S+ \(|node_modules|ECONN|timeout exceeded|terminat|pg_sleep|organisations|5439/, `${x.what}: no internals in the body`)
  }
  const recovers = async (what: string, withinMs = 15000) => {
    const started = Date.now()
    for (;;) {
      const [read, ready, write] = await Promise.all([app.inject('/probe/read'), app.inject('/readyz'), app.inject({ method: 'POST', url: '/probe/write', payload: {} })])
      if (read.statusCode === 200 && ready.statusCode === 200 && write.statusCode === 201) {
        t.pass(`${what}: recovered without a restart in ${Date.now() - started} ms`)
        return
      }
      if (Date.now() - started > withinMs) { t.fail(`${what}: not recovered after ${withinMs} ms (${read.statusCode}/${ready.statusCode}/${write.statusCode})`); return }
      await new Promise((r) => setTimeout(r, 250))
    }
  }

  await t.test('baseline', async () => {
    t.equal((await app.inject('/readyz')).statusCode, 200)
    t.equal((await app.inject({ method: 'POST', url: '/probe/write', payload: {} })).statusCode, 201)
  })

  await t.test('frozen backends (SIGSTOP): 503 after the query timeout, then recovery on SIGCONT', async (t: any) => {
    await warm()
    const pids = (await cluster.serviceBackends(database)).map((b) => b.pid)
    t.equal(pids.length, POOL, 'one backend per pooled connection')
    for (const pid of pids) process.kill(pid, 'SIGSTOP')
    try {
      const xs = await Promise.all([
        timed('read on a frozen backend', '/probe/read'),
        timed('write on a frozen backend', { method: 'POST', url: '/probe/write', payload: {} }),
        timed('readyz on a frozen backend', '/readyz'),
      ])
      for (const x of xs) expect503(x)
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT')
    }
    await recovers('after SIGCONT')
  })

  await t.test('frozen server (postmaster and backends SIGSTOPped): new connections time out with a 503', async (t: any) => {
    await warm()
    const pids = [cluster.postmasterPid(), ...(await cluster.serviceBackends(database)).map((b) => b.pid)]
    for (const pid of pids) process.kill(pid, 'SIGSTOP')
    try {
      // the frozen connections fail first; then the pool must open new ones, which hang
      const first = await Promise.all(Array.from({ length: POOL }, (_, i) => timed(`request ${i + 1} on a frozen server`, '/probe/read')))
      for (const x of first) expect503(x)
      expect503(await timed('a request needing a new connection', '/probe/read'))
      expect503(await timed('readyz on a frozen server', '/readyz'))
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT')
    }
    await recovers('after SIGCONT of the server')
  })

  await t.test('exhausted pool: requests beyond the pool wait at most the connect timeout, then 503', async (t: any) => {
    const holders = Array.from({ length: POOL }, () => app.inject(`/probe/sleep/${STATEMENT_MS - 800}`))
    await new Promise((r) => setTimeout(r, 200))
    const x = await timed('a read while every connection is busy', '/probe/read')
    expect503(x)
    t.ok(x.ms >= CONNECT_MS - 100, `it waited for a free connection (${x.ms} ms) before giving up`)
    const held = await Promise.all(holders)
    t.same(held.map((r) => r.statusCode), Array(POOL).fill(200), 'the requests holding the pool finished normally')
    await recovers('after the pool drained')
  })

  await t.test('a statement over statement_timeout is cancelled by the server: 503, connection reused', async () => {
    expect503(await timed('a 10 s statement', '/probe/sleep/10000'))
    await recovers('after the cancelled statement', 3000)
  })

  await t.test('terminated idle connections (pg_terminate_backend) are replaced; no 500, no crash', async (t: any) => {
    await warm()
    const killed = await cluster.admin(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name = 'signpost'`, [database])
    t.equal(killed.length, POOL, `${killed.length} idle connections terminated`)
    await new Promise((r) => setTimeout(r, 100))
    const rs = await Promise.all([
      app.inject('/probe/read'), app.inject('/probe/read'), app.inject({ method: 'POST', url: '/probe/write', payload: {} }), app.inject('/readyz'),
    ])
    for (const r of rs) {
      t.ok([200, 201, 503].includes(r.statusCode), `answered ${r.statusCode}`)
      if (r.statusCode === 503) t.match(r.headers['content-type'], /^application\/problem\+json/)
    }
    await recovers('after the terminated connections', 3000)
  })

  await t.test('PostgreSQL stopped: prompt 503s and readyz 503 while down; recovery when it starts', async (t: any) => {
    await warm()
    const inflight = app.inject(`/probe/sleep/2000`)
    await new Promise((r) => setTimeout(r, 300))
    cluster.stop()
    const cut = await inflight
    t.equal(cut.statusCode, 503, 'a request in flight when the server went down: 503')
    t.notMatch(cut.body, /terminat|administrator|5439/)
    const xs = [
      await timed('read while stopped', '/probe/read'),
      await timed('write while stopped', { method: 'POST', url: '/probe/write', payload: {} }),
      await timed('readyz while stopped', '/readyz'),
    ]
    for (const x of xs) {
      expect503(x)
      t.ok(x.ms < CONNECT_MS + 500, `${x.what}: refused connections answer at once (${x.ms} ms)`)
    }
    t.equal((await app.inject('/healthz')).statusCode, 200, 'liveness is unaffected: no restart is needed')
    await cluster.start()
    await recovers('after PostgreSQL started again')
  })

  await t.test('no fault became a 500 or an unexpected-error log line', async (t: any) => {
    const errors = logs.filter((l) => l.level >= 50)
    t.same(errors.map((l) => l.msg), [], 'no error-level log lines')
    const statuses = logs.filter((l) => l.res?.statusCode).map((l) => l.res.statusCode)
    t.notOk(statuses.includes(500), 'no 500 was answered')
    const n503 = statuses.filter((s) => s === 503).length
    t.comment(`requests answered 503 during the faults: ${n503}`)
  })
}
