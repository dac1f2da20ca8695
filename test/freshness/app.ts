import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { connect, type Db } from '../../src/db/client.ts'
import { createScheduler } from '../../src/freshness/scheduler.ts'
import { freshDb, freshDbUrl, TEST_LIMITS } from '../helper.ts'

type T = { teardown(fn: () => unknown): void }

/** A test clock: starts at the real now; `at(days)` moves it to that many days after. */
export function testClock() {
  const start = new Date()
  let now = start
  return Object.assign(() => now, {
    start,
    /** `days` after the start */
    at(days: number) { now = new Date(start.getTime() + days * 86400_000) },
  })
}

/**
 * The app with its freshness scheduler on `db` (a fresh one unless given), its clock pinned.
 * The scheduler is not started: the test runs it, as the timer would.
 */
export async function buildWithScheduler(t: T, env: Record<string, string>, clock: () => Date, db?: Db) {
  const database = db ?? await freshDb(t)
  const config = loadConfig({ LOG_LEVEL: 'info', SEED_DEMO: 'false', PUBLIC_BASE_URL: 'https://signpost.test', ...TEST_LIMITS, ...env })
  const logs: Array<Record<string, any>> = []
  const logStream = new Writable({ write(chunk, _e, cb) { for (const l of String(chunk).split('\n')) if (l.trim()) logs.push(JSON.parse(l)); cb() } })
  const app = await buildApp(config, { db: database, logStream, now: clock })
  await app.ready()
  const scheduler = createScheduler({ db: database, config, clock, log: app.log })
  t.teardown(async () => { await scheduler.stop(); await app.close() })
  return { app, db: database, scheduler, logs, config }
}

/** A second connection to the same database, as a second process would have (embedded: the same database object). */
export async function secondConnection(t: T, db: Db): Promise<Db> {
  const url = freshDbUrl(db)
  if (!url) return db
  const other = await connect({ url, poolMax: 3 })
  t.teardown(() => other.close())
  return other
}
