import t from 'tap'
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { TEST_LIMITS } from '../helper.ts'
import * as cluster from './cluster.ts'
import { SchemeWriteLoad, injectSend } from './write-load.ts'

// Proof (a): scheme creates and updates through the API while PostgreSQL is stopped and
// started again under the running service. Afterwards every write that got a 2xx is
// present and exact, and every scheme, including any whose create failed but committed,
// is whole (its session and a history entry for every version).

const why = cluster.unavailable()
t.test('a write load survives PostgreSQL stopping and starting: nothing acknowledged is lost, nothing is half written', { skip: why ? `needs a PostgreSQL server machine: ${why}` : false }, async (t) => {
  const url = await cluster.takeCluster(t)
  const lines: string[] = []
  const app = await buildApp(loadConfig({
    ...TEST_LIMITS, LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_URL: url,
    DB_POOL_MAX: '6', DB_STATEMENT_TIMEOUT_MS: '3000', DB_CONNECT_TIMEOUT_MS: '1000',
  }), { logStream: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb() } }) })
  await app.ready()
  t.teardown(() => app.close())
  if (!app.hasRoute({ method: 'POST', url: '/v1/schemes' })) {
    t.skip('POST /v1/schemes is not there yet', () => {})
    return
  }
  const { adminKey } = await import('../fixtures/api.ts')
  const load = new SchemeWriteLoad(injectSend(app))
  await load.setup(await adminKey(app))

  const started = Date.now()
  const elapsed = () => Date.now() - started
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, 2500))
    cluster.stop()
    const down = elapsed()
    await new Promise((r) => setTimeout(r, 3000))
    await cluster.start()
    return { down, up: elapsed() }
  })()
  await load.run(6, () => elapsed() > 11000)
  const { down, up } = await outage

  // The service recovers by itself: the same app, no restart.
  let ready = 0
  for (let i = 0; i < 40 && ready !== 200; i++) {
    ready = (await app.inject('/readyz')).statusCode
    if (ready !== 200) await new Promise((r) => setTimeout(r, 250))
  }
  t.equal(ready, 200, 'ready again after the database came back')

  const f = await load.verify((text, values) => cluster.admin(text, values, new URL(url).pathname.slice(1)))
  t.comment(`database stopped at ${down} ms, started again at ${up} ms`)
  t.comment(`writes attempted ${f.attempted}, acknowledged ${f.acknowledged}, failed ${f.failed} (creates ${f.creates.acknowledged}/${f.creates.attempted}, updates ${f.updates.acknowledged}/${f.updates.attempted}); lost ${f.lost}; half written ${f.halfWritten}; failed but committed whole ${f.committedUnacknowledged}; statuses ${JSON.stringify(f.statuses)}`)
  t.same(f.problems, [], 'every acknowledged write present and exact; every scheme whole')
  t.equal(f.lost, 0, 'lost = 0')
  t.equal(f.halfWritten, 0, 'nothing half written')
  t.ok(f.acknowledged > 20, 'writes were acknowledged before and after the outage')
  t.ok(f.failed > 0, 'the outage did fail some writes (the test exercised it)')
  const codes = Object.keys(f.statuses).map(Number)
  t.same(codes.filter((c) => c >= 500 && c !== 503), [], 'failures were 503s, never 500')
  t.notMatch(lines.join(''), /"level":50/, 'no unexpected-error log lines')
})
