// npm run db:migrate: applies migrations/ to the configured database (DATABASE_URL, else DATA_DIR).
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate, MIGRATION_TIMEOUT_MS } from '../src/db/migrate.ts'

try {
  const config = loadConfig()
  const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, statementTimeoutMs: MIGRATION_TIMEOUT_MS, poolMax: 1 })
  const applied = await migrate(db)
  await db.close()
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date')
} catch (err) {
  console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err)
  process.exit(1)
}
