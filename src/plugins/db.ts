import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { connect, type Db } from '../db/client.ts'
import { migrate, MIGRATION_TIMEOUT_MS } from '../db/migrate.ts'
import type { Config } from '../config.ts'
import { seedDemo } from '../seed/demo.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

/**
 * Gives the app its database: the one passed in (tests), or a pg Pool when DATABASE_URL
 * is set, else the embedded PGlite in DATA_DIR. A database it opened is migrated on start
 * and closed with the app. Then SEED_DEMO decides on the demo data (SPEC §6): 'auto' fills
 * only an embedded database that has no schemes yet, 'true' any database (rows already
 * there are kept), 'false' never.
 */
export default fp(async function dbPlugin(app: FastifyInstance, opts: { config: Config; db?: Db }) {
  const { config } = opts
  let db = opts.db
  if (!db) {
    db = await connect({
      url: config.DATABASE_URL,
      readUrl: config.DATABASE_READ_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DB_POOL_MAX,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      logger: app.log,
    })
    const owned = db
    app.addHook('onClose', async () => { await owned.close() })
    // on a server, through a connection of its own without the request timeout
    const admin = config.DATABASE_URL
      ? await connect({ url: config.DATABASE_URL, poolMax: 1, statementTimeoutMs: MIGRATION_TIMEOUT_MS, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS })
      : db
    const applied = await migrate(admin).finally(() => (admin !== db ? admin.close() : undefined))
    if (applied.length) app.log.info({ applied }, 'migrations applied')
  }
  app.decorate('db', db)
  // Seeding waits for onReady, which has no plugin timeout: on a slow first start the
  // migrations alone can take several seconds of Fastify's 10 s per plugin.
  const seeded = db
  app.addHook('onReady', async () => {
    if (!(await wantsDemo(seeded, config.SEED_DEMO))) return
    const written = await seedDemo(seeded)
    app.log.info({ seed: 'demo', ...written }, 'demo data loaded')
  })
}, { name: 'db' })

async function wantsDemo(db: Db, mode: Config['SEED_DEMO']): Promise<boolean> {
  if (mode === 'false') return false
  if (mode === 'true') return true
  if (db.kind !== 'pglite') return false
  const rows = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM schemes) AS any')
  return !rows[0].any
}
