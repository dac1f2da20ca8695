import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, existsSync, writeFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { connect, type Db } from '../src/db/client.ts'
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate.ts'

type T = { teardown(fn: () => unknown): void }

/** Which database the suite runs on: the PostGIS server in DATABASE_URL, or embedded. */
export const SERVER_URL = process.env.DATABASE_URL || undefined
export const DB_KIND = SERVER_URL ? 'postgres' : 'pglite'

const migrationsHash = createHash('sha256')
  .update(readdirSync(MIGRATIONS_DIR).sort().map((f) => f + readFileSync(join(MIGRATIONS_DIR, f), 'utf8')).join('\n'))
  .digest('hex').slice(0, 12)

/** A fresh, migrated, empty database of its own, dropped when the test ends. */
export async function freshDb(t: T): Promise<Db> {
  const db = SERVER_URL ? await serverDb(SERVER_URL, t) : await embeddedDb()
  t.teardown(() => db.close())
  return db
}

// Embedded: migrate once per migrations version, keep a dump in the temp folder, and
// start every test database from it (about 3 s instead of 10).
async function embeddedDb(): Promise<Db> {
  const file = join(tmpdir(), `signpost-pglite-${migrationsHash}.tar`)
  if (!existsSync(file)) {
    const db = await connect({})
    await migrate(db)
    const blob = await db.dumpDataDir!()
    await db.close()
    const part = `${file}.${process.pid}.part`
    writeFileSync(part, Buffer.from(await blob.arrayBuffer()))
    renameSync(part, file)
  }
  return connect({ loadDataDir: new Blob([readFileSync(file)]) })
}

const serverUrls = new WeakMap<Db, string>()

/** The URL of a database that freshDb made on the server (for a child process); undefined when embedded. */
export function freshDbUrl(db: Db): string | undefined {
  return serverUrls.get(db)
}

// Server: a template database migrated once, then CREATE DATABASE … TEMPLATE per test.
async function serverDb(url: string, t: T): Promise<Db> {
  const template = `signpost_tpl_${migrationsHash}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query('SELECT pg_advisory_lock(7356202)')
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`)
      const tdb = await connect({ url: withDatabase(url, template) })
      await migrate(tdb)
      await tdb.close()
    }
    const name = `signpost_test_${randomBytes(6).toString('hex')}`
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
    await admin.query('SELECT pg_advisory_unlock(7356202)')
    t.teardown(async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    })
    const db = await connect({ url: withDatabase(url, name), poolMax: 5 })
    serverUrls.set(db, withDatabase(url, name))
    return db
  } finally {
    await admin.end()
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = '/' + database
  return u.toString()
}

export interface Built {
  app: FastifyInstance
  db: Db
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, any>>
  config: Config
}

export const TEST_LIMITS: Record<string, string> = {
  RATE_LIMIT_READ_PER_MINUTE: '1000000',
  RATE_LIMIT_WRITE_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
}

/** The whole app on a fresh database, closed when the test ends. */
export async function build(t: T, env: Record<string, string> = {}): Promise<Built> {
  const db = await freshDb(t)
  // Limits high and load shedding off unless a test asks: the suite shares 2 cores, and only
  // the limiter's own tests should ever see a 429 or an overload 503.
  const config = loadConfig({ LOG_LEVEL: 'info', SEED_DEMO: 'false', ...TEST_LIMITS, ...env })
  const logs: Array<Record<string, any>> = []
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line))
      cb()
    },
  })
  const app = await buildApp(config, { db, logStream })
  await app.ready()
  t.teardown(() => app.close())
  return { app, db, logs, config }
}
