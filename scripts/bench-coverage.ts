// npm run bench:coverage: how long a whole-country coverage answer takes (docs/insights.md), for a
// few filter sets, each asked twice of the app itself (GET /v1/insights/coverage, the cache off:
// COVERAGE_CACHE_SECONDS=0), so the figures include its pool, its timeouts and the gate.
//
//   DATABASE_URL=postgres://… npm run bench:coverage      (or DATA_DIR=… for an embedded database)
import { Writable } from 'node:stream'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'

const SETS: Array<Record<string, string>> = [
  {},
  { period: 'evening' },
  { need: 'loneliness', period: 'evening' },
  { category: 'walking', accessibility: 'step_free', free: 'true' },
  { days: 'sat,sun', need: 'low_mood', radius_m: '10000' },
]

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false', FEED_WORKER: 'false', SCHEDULER_INTERVAL_S: '0',
  DEMAND_RECORDING: 'false', COVERAGE_CACHE_SECONDS: '0', RATE_LIMIT_READ_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' })
const app = await buildApp(config, { logStream: new Writable({ write: (_c, _e, cb) => cb() }) })
try {
  await app.ready()
  const [{ schemes, venues, sessions }] = await app.db.query<{ schemes: number; venues: number; sessions: number }>(
    'SELECT (SELECT count(*) FROM schemes)::int AS schemes, (SELECT count(*) FROM venues)::int AS venues, (SELECT count(*) FROM sessions)::int AS sessions')
  console.log(`coverage timings — ${new Date().toISOString()}; ${app.db.kind}; ${schemes} schemes, ${venues} venues, ${sessions} sessions; ` +
    `GET /v1/insights/coverage, COVERAGE_TIMEOUT_MS=${config.COVERAGE_TIMEOUT_MS}, DB_STATEMENT_TIMEOUT_MS=${config.DB_STATEMENT_TIMEOUT_MS}`)
  console.log('| filters | radius | run 1 s | run 2 s | covered share | matching schemes |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const set of SETS) {
    const url = `/v1/insights/coverage?${new URLSearchParams(set)}`
    const times: number[] = []
    let body: any
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now()
      const res = await app.inject({ method: 'GET', url })
      times.push((performance.now() - t0) / 1000)
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
      body = res.json()
    }
    const label = Object.entries(set).filter(([k]) => k !== 'radius_m').map(([k, v]) => `${k}=${v}`).join('&') || '(none)'
    console.log(`| ${label} | ${body.radius_m} | ${times[0].toFixed(2)} | ${times[1].toFixed(2)} | ${body.total.covered_share} | ${body.total.schemes} |`)
  }
} finally {
  await app.close()
}
