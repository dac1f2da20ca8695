import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, openSync, closeSync, unlinkSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { connect } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'

/**
 * A PostgreSQL 15 cluster of our own (port 5439) that the fault tests may stop, start and
 * freeze without disturbing anybody else's tests on the 5432 cluster. Created on first use
 * (idempotently), with trust authentication for local and 127.0.0.1 connections.
 */
export const VERSION = '15'
export const NAME = 'signpost_faults'
export const PORT = 5439
export const ADMIN_URL = `postgres://postgres@127.0.0.1:${PORT}/postgres`
const CONF_DIR = `/etc/postgresql/${VERSION}/${NAME}`
const LOCK = `/tmp/signpost-faults-${PORT}.lock`

type T = { teardown(fn: () => unknown): void; comment(...a: unknown[]): void }

/** Why the fault tests cannot run here, or undefined when they can. */
export function unavailable(): string | undefined {
  if (process.env.SIGNPOST_FAULTS === 'off') return 'SIGNPOST_FAULTS=off'
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'fault tests drive pg_ctlcluster and need root'
  for (const bin of ['pg_ctlcluster', 'pg_createcluster', 'pg_lsclusters']) {
    if (spawnSync('which', [bin]).status !== 0) return `${bin} is not installed (not a PostgreSQL server machine)`
  }
  if (!existsSync(`/usr/lib/postgresql/${VERSION}/bin/postgres`)) return `PostgreSQL ${VERSION} is not installed`
  if (!existsSync(`/usr/share/postgresql/${VERSION}/extension/postgis.control`)) return 'PostGIS for PostgreSQL 15 is not installed'
  return undefined
}

function ctl(action: 'start' | 'stop' | 'restart', extra: string[] = []) {
  const args = [VERSION, NAME, action, ...extra]
  // Without systemd (containers, CI) pg_ctlcluster must not redirect to systemctl.
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...args], { encoding: 'utf8' })
  if (r.status === 0) return
  const again = spawnSync('pg_ctlcluster', args, { encoding: 'utf8' })
  if (again.status !== 0) throw new Error(`pg_ctlcluster ${args.join(' ')} failed: ${r.stderr || ''} ${again.stderr || ''}`)
}

export function status(): 'online' | 'down' | 'missing' {
  const r = spawnSync('pg_lsclusters', ['--no-header', VERSION, NAME], { encoding: 'utf8' })
  if (r.status !== 0 || !r.stdout.trim()) return 'missing'
  return /online/.test(r.stdout) ? 'online' : 'down'
}

/** Creates the cluster if it is not there and makes sure local trust authentication is on. */
export function ensureCluster() {
  if (status() === 'missing') {
    execFileSync('pg_createcluster', [VERSION, NAME, '-p', String(PORT), '--', '--auth-local=trust', '--auth-host=trust'], { stdio: 'pipe' })
  }
  const hba = `${CONF_DIR}/pg_hba.conf`
  const wanted = ['local all all trust', 'host all all 127.0.0.1/32 trust', 'host all all ::1/128 trust']
  const text = readFileSync(hba, 'utf8')
  const have = new Set(text.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')))
  const missing = wanted.filter((l) => !have.has(l))
  // Put the trust lines first: pg_hba.conf is read top-down, first match wins.
  if (missing.length) writeFileSync(hba, missing.join('\n') + '\n' + text)
  const conf = `${CONF_DIR}/conf.d/signpost-faults.conf`
  if (!existsSync(conf)) {
    // small and quick to start; the tests open only a few connections
    writeFileSync(conf, 'max_connections = 60\nshared_buffers = 32MB\nlisten_addresses = \'127.0.0.1\'\n')
  }
}

export async function start() {
  if (status() !== 'online') ctl('start')
  await waitReady()
}

/** A fast shutdown: open sessions are ended, as when an operator or a crash takes it down. */
export function stop() {
  if (status() === 'online') ctl('stop', ['-m', 'fast'])
}

export async function waitReady(timeoutMs = 30000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 1000 })
    try {
      await c.connect()
      await c.query('SELECT 1')
      await c.end()
      return
    } catch (err) {
      await c.end().catch(() => {})
      if (Date.now() > until) throw err
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/** The postmaster's process id (from its pid file). */
export function postmasterPid(): number {
  const dataDir = readFileSync(`${CONF_DIR}/postgresql.conf`, 'utf8').match(/^data_directory\s*=\s*'([^']+)'/m)?.[1] ?? `/var/lib/postgresql/${VERSION}/${NAME}`
  return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0])
}

/** Runs SQL as the superuser on a short-lived connection. */
export async function admin<R = any>(text: string, values: unknown[] = [], database = 'postgres'): Promise<R[]> {
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${PORT}/${database}`, connectionTimeoutMillis: 5000 })
  await c.connect()
  try {
    return (await c.query(text, values)).rows
  } finally {
    await c.end()
  }
}

/**
 * One test file at a time drives the cluster (tap runs files in parallel): an exclusive
 * lock file, taken over when the process that held it is gone.
 */
async function lock(): Promise<() => void> {
  const until = Date.now() + 10 * 60_000
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx')
      appendFileSync(fd, String(process.pid))
      closeSync(fd)
      return () => { try { if (readFileSync(LOCK, 'utf8') === String(process.pid)) unlinkSync(LOCK) } catch { /* gone */ } }
    } catch {
      let holder = 0
      try { holder = Number(readFileSync(LOCK, 'utf8')) } catch { continue }
      let alive = false
      try { process.kill(holder, 0); alive = true } catch { /* dead */ }
      if (!alive && holder) { try { unlinkSync(LOCK) } catch { /* raced */ } continue }
      if (Date.now() > until) throw new Error(`the fault cluster is held by process ${holder}`)
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}

/**
 * Takes the cluster for this test file: creates and starts it, makes a fresh migrated
 * database, and on teardown drops that database, stops the cluster and lets go.
 * Returns the database's URL.
 */
export async function takeCluster(t: T): Promise<string> {
  const release = await lock()
  let database = ''
  t.teardown(async () => {
    try {
      if (status() !== 'online') await start()
      if (database) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      stop()
    } finally {
      release()
    }
  })
  ensureCluster()
  await start()
  // We hold the lock: databases left by a run that was killed can go.
  for (const { datname } of await admin(`SELECT datname FROM pg_database WHERE datname LIKE 'signpost_fault_%'`)) {
    await admin(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
  }
  database = `signpost_fault_${randomBytes(5).toString('hex')}`
  await admin(`CREATE DATABASE ${database}`)
  const url = `postgres://postgres@127.0.0.1:${PORT}/${database}`
  const db = await connect({ url })
  await migrate(db)
  await db.close()
  return url
}

/** Backend processes of the service's own connections (application_name 'signpost'). */
export async function serviceBackends(database: string): Promise<Array<{ pid: number; state: string }>> {
  return admin(`SELECT pid, state FROM pg_stat_activity WHERE datname = $1 AND application_name = 'signpost' AND pid <> pg_backend_pid()`, [database])
}
