// npm run bench:coverage: how long a whole-country coverage answer takes (docs/insights.md), for a
// few filter sets, each computed twice without the cache (the second run has the pages in memory).
//
//   DATABASE_URL=postgres://… npm run bench:coverage      (or DATA_DIR=… for an embedded database)
import { loadConfig } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { computeCoverage } from '../src/insights/coverage.ts'
import { loadAuthorities } from '../src/geo/authorities.ts'
import { parseSearchParams } from '../src/search/params.ts'
import { ukDate } from '../src/domain/schedule.ts'

const SETS: Array<Record<string, unknown>> = [
  {},
  { period: 'evening' },
  { need: 'loneliness', period: 'evening' },
  { category: 'walking', accessibility: 'step_free', free: true },
  { days: 'sat,sun', need: 'low_mood', radius_m: 10000 },
]

const config = loadConfig()
const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, statementTimeoutMs: 600000 })
try {
  await loadAuthorities()
  const now = new Date()
  const [{ schemes, venues, sessions }] = await db.query<{ schemes: number; venues: number; sessions: number }>(
    'SELECT (SELECT count(*) FROM schemes)::int AS schemes, (SELECT count(*) FROM venues)::int AS venues, (SELECT count(*) FROM sessions)::int AS sessions')
  console.log(`coverage timings — ${now.toISOString()}; ${db.kind}; ${schemes} schemes, ${venues} venues, ${sessions} sessions`)
  console.log('| filters | radius | run 1 s | run 2 s | covered share | matching schemes |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const raw of SETS) {
    const p = parseSearchParams(raw, ukDate(now))
    if (!p.ok) throw new Error(JSON.stringify(p.errors))
    const times: number[] = []
    let share = 0
    let matching = 0
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now()
      const c = await computeCoverage(db, p.filters, now)
      times.push((performance.now() - t0) / 1000)
      share = c.total.covered_share
      matching = c.total.schemes
    }
    const label = Object.entries(raw).filter(([k]) => k !== 'radius_m').map(([k, v]) => `${k}=${v}`).join('&') || '(none)'
    console.log(`| ${label} | ${p.filters.radiusM} | ${times[0].toFixed(2)} | ${times[1].toFixed(2)} | ${share} | ${matching} |`)
  }
} finally {
  await db.close()
}
