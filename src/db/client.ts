import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { PgDialect } from 'drizzle-orm/pg-core'
import { type SQL } from 'drizzle-orm'
import type { Logger } from 'pino'
import { ServiceUnavailableError } from '../errors.ts'

/**
 * One interface over a PostgreSQL + PostGIS server (pg Pool) and the embedded PGlite +
 * PostGIS. Repositories build statements with drizzle's sql`` tag and run them here, so
 * the same SQL and the same value types come back from both.
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite'
  /** Runs one statement; values are always bound parameters. */
  query<T = Record<string, any>>(statement: SQL | string, params?: unknown[]): Promise<T[]>
  /** Runs several statements with no parameters (migrations). */
  exec(text: string): Promise<void>
  /**
   * All or nothing: fn's statements commit together or not at all. With `timeoutMs`, each of
   * its statements may run that long instead of the pool's statement timeout (a computation over
   * the whole directory; the server: SET LOCAL statement_timeout and the client's wait with it).
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>
  /** The database that searches read from: a replica when DATABASE_READ_URL is set. */
  readonly reader: Db
  close(): Promise<void>
  /** Embedded only: a copy of the whole database, which DbOptions.loadDataDir restores. */
  dumpDataDir?(): Promise<Blob>
}

export interface TransactionOptions { timeoutMs?: number }

export interface DbOptions {
  url?: string
  readUrl?: string
  dataDir?: string // undefined or 'memory://' → in memory
  loadDataDir?: Blob
  poolMax?: number
  statementTimeoutMs?: number
  connectTimeoutMs?: number
  logger?: Pick<Logger, 'error' | 'warn'>
}

const dialect = new PgDialect()

function toQuery(statement: SQL | string, params?: unknown[]): { text: string; values: unknown[] } {
  if (typeof statement === 'string') return { text: statement, values: params ?? [] }
  const q = dialect.sqlToQuery(statement)
  return { text: q.sql, values: q.params }
}

// The same value types from both drivers: dates, times and timestamps as strings
// (timestamps as RFC 3339 UTC), bigint and numeric as numbers.
const OID = { int8: 20, numeric: 1700, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, dateArray: 1182, timestamptzArray: 1185 }
const pgTimestamptz = pg.types.getTypeParser(OID.timestamptz) as (v: string) => Date
const isoTimestamp = (v: string) => pgTimestamptz(v).toISOString()
function parseTextArray(v: string): string[] {
  if (v === '{}') return []
  return v.slice(1, -1).split(',').map((s) => s.replace(/^"|"$/g, ''))
}
const parsers: Record<number, (v: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => Number(v),
  [OID.date]: (v) => v,
  [OID.time]: (v) => v,
  [OID.timestamp]: (v) => v,
  [OID.timestamptz]: (v) => isoTimestamp(v),
  [OID.dateArray]: (v) => parseTextArray(v),
  [OID.timestamptzArray]: (v) => parseTextArray(v).map(isoTimestamp),
}
const pgTypes = {
  getTypeParser(oid: number, format?: any) {
    return parsers[oid] ?? (pg.types.getTypeParser as any)(oid, format)
  },
}

export async function connect(options: DbOptions): Promise<Db> {
  if (options.url) {
    const primary = pgDb(makePool(options.url, options))
    if (!options.readUrl) return primary
    const replica = pgDb(makePool(options.readUrl, options))
    return { ...primary, reader: replica, close: async () => { await replica.close(); await primary.close() } }
  }
  return pgliteDb(options)
}

function makePool(url: string, o: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.poolMax ?? 10,
    // pg waits for ever by default: a frozen server would hang every request.
    connectionTimeoutMillis: o.connectTimeoutMs ?? 3000,
    query_timeout: (o.statementTimeoutMs ?? 5000) + 1000,
    statement_timeout: o.statementTimeoutMs ?? 5000,
    idleTimeoutMillis: 30000,
    application_name: 'signpost',
    types: pgTypes,
    // Session settings for short interactive statements on a small machine (docs/performance.md):
    // JIT compiles in tens of ms what runs in one; parallel workers cost more to start than
    // a search takes; the data sits in memory, so random reads cost about what sequential do.
    options: '-c timezone=UTC -c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1',
  })
  // An idle connection that the server terminates emits 'error' on the pool; without a
  // handler Node would crash. The pool drops that client and makes a new one when needed.
  pool.on('error', (err) => o.logger?.warn({ err: { message: err.message, code: (err as any).code } }, 'database connection lost'))
  return pool
}

/** How many times a transaction that the server aborted as a deadlock or a serialisation failure is run. */
export const TRANSACTION_ATTEMPTS = 4

function pgDb(pool: pg.Pool | pg.PoolClient, ownsPool = true, queryTimeoutMs?: number): Db {
  // one run of a transaction on a connection of its own
  const once = async <T>(fn: (tx: Db) => Promise<T>, timeoutMs?: number): Promise<T> => {
    const p = pool as pg.Pool
    const client = await p.connect().catch((err) => { throw classify(err) })
    // pg-pool takes its 'error' listener off a client while it is checked out: a server
    // that ends the connection between two statements (shutdown, pg_terminate_backend)
    // would otherwise crash the process. The next statement then fails and we answer 503.
    let lost: Error | undefined
    const onError = (err: Error) => { lost = err }
    client.on('error', onError)
    try {
      await client.query('BEGIN')
      if (timeoutMs !== undefined) await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`)
      // the client waits a second longer than the server, which then answers with its own error
      const result = await fn(pgDb(client, false, timeoutMs === undefined ? undefined : Math.trunc(timeoutMs) + 1000))
      await client.query('COMMIT')
      client.removeListener('error', onError)
      client.release(lost)
      return result
    } catch (err) {
      const classified = classify(err)
      // A lost or frozen connection would make ROLLBACK wait out another query timeout:
      // drop it instead; the server rolls back a transaction whose connection is gone.
      let broken = lost !== undefined || classified instanceof DatabaseUnavailableError
      if (!broken) await client.query('ROLLBACK').catch(() => { broken = true })
      client.removeListener('error', onError)
      // a connection that cannot even roll back is not given back to the pool
      client.release(broken ? (lost ?? (err as Error)) : undefined)
      throw classified
    }
  }
  const db: Db = {
    kind: 'postgres',
    async query(statement, params) {
      const { text, values } = toQuery(statement, params)
      try {
        const res = await pool.query({ text, values, types: pgTypes, ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}) } as any)
        return res.rows as any[]
      } catch (err) {
        throw classify(err)
      }
    },
    async exec(text) {
      await pool.query(queryTimeoutMs ? { text, query_timeout: queryTimeoutMs } as any : text).catch((err: unknown) => { throw classify(err) })
    },
    async transaction(fn, options) {
      if (!(pool instanceof pg.Pool)) return fn(db) // already inside one
      // Two writers can deadlock (each waiting for a row the other holds: two schemes sharing
      // venues whose search bits both refresh) or fail to serialise; the server aborts one,
      // which is run again from the start a few times, then answered 503 (try again).
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn, options?.timeoutMs)
        } catch (err) {
          const code = ((err as any)?.code ?? '') as string
          if (code !== '40P01' && code !== '40001') throw err
          if (attempt >= TRANSACTION_ATTEMPTS) throw new DatabaseUnavailableError(err)
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt))
        }
      }
    },
    get reader() { return db },
    async close() {
      if (ownsPool && pool instanceof pg.Pool) await pool.end()
    },
  }
  return db
}

async function pgliteDb(o: DbOptions): Promise<Db> {
  const dataDir = o.dataDir && o.dataDir !== 'memory://' ? o.dataDir : undefined
  const lite = await PGlite.create({
    dataDir,
    extensions: { postgis },
    parsers,
    loadDataDir: o.loadDataDir,
  } as any)
  await lite.exec("SET timezone = 'UTC'")
  const wrap = (conn: any, top: boolean): Db => {
    const db: Db = {
      kind: 'pglite',
      async query(statement, params) {
        const { text, values } = toQuery(statement, params)
        const res = await conn.query(text, values)
        return res.rows
      },
      async exec(text) {
        await conn.exec(text)
      },
      async transaction(fn) {
        if (!top) return fn(db)
        return lite.transaction((tx) => fn(wrap(tx, false)))
      },
      get reader() { return db },
      async close() {
        if (top) await lite.close()
      },
      dumpDataDir: top ? () => lite.dumpDataDir('none') as Promise<Blob> : undefined,
    }
    return db
  }
  return wrap(lite, true)
}


/** The database is down, frozen, out of connections or too slow: the request gets a 503. */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor(public readonly cause: unknown) {
    super()
  }
}

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'])

/** Turns a driver error that means "no usable database" into DatabaseUnavailableError. */
export function classify(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof DatabaseUnavailableError) return err
  const code = (err as any).code as string | undefined
  if (code && (NET_CODES.has(code) || code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '57014')) {
    return new DatabaseUnavailableError(err)
  }
  // pg and pg-pool raise these without a code; this is the one place that reads their text.
  if (!code && /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end/.test(err.message)) {
    return new DatabaseUnavailableError(err)
  }
  return err
}
