// npm run seed: migrates the configured database (DATABASE_URL, else DATA_DIR) and loads the
// demo data into it. Rows already there (source_id 'demo:…') are left alone, so it can be rerun.
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo.ts'

try {
  const config = loadConfig()
  const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, statementTimeoutMs: 120000 })
  try {
    await migrate(db)
    const written = await seedDemo(db)
    console.log(`demo data: ${written.organisations} organisations, ${written.venues} venues, ${written.schemes} schemes written` +
      (written.schemes ? '' : ' (already there)'))
  } finally {
    await db.close()
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err)
  process.exit(1)
}
