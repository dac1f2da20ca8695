// npm run keys:create -- --role admin|publisher|reader [--organisation ID] [--label TEXT]
// Makes an API key in the configured database (DATABASE_URL, else the embedded one in
// DATA_DIR) and prints it once: only its SHA-256 hash is stored. The embedded database
// can be opened by one process at a time: stop the server first, or use POST /v1/keys.
import { parseArgs } from 'node:util'
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { ValidationError } from '../src/errors.ts'
import { createKey } from '../src/repositories/keys.ts'

const usage = 'usage: npm run keys:create -- --role admin|publisher|reader [--organisation ID] [--label TEXT]'

let args
try {
  args = parseArgs({
    options: { role: { type: 'string' }, organisation: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  }).values
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`)
  process.exit(2)
}
if (args.help || !args.role) {
  console.error(usage)
  process.exit(args.help ? 0 : 2)
}

let config
try {
  config = loadConfig()
} catch (err) {
  console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err)
  process.exit(1)
}

const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })
try {
  await migrate(db)
  const body: Record<string, string> = { role: args.role }
  if (args.organisation !== undefined) body.organisation_id = args.organisation
  if (args.label !== undefined) body.label = args.label
  const created = await db.transaction((tx) => createKey(tx, body))
  console.error(`Created a${created.role === 'admin' ? 'n' : ''} ${created.role} key${created.organisation_id ? ` for organisation ${created.organisation_id}` : ''} (id ${created.id}).`)
  console.error('It is shown this once; only its hash is kept. Send it as: Authorization: Bearer <key>')
  console.log(created.key)
} catch (err) {
  if (err instanceof ValidationError) {
    const names: Record<string, string> = { '/role': '--role', '/organisation_id': '--organisation', '/label': '--label' }
    for (const e of err.errors ?? []) console.error(`${names[e.pointer ?? ''] ?? e.pointer}: ${e.message}`)
    console.error(usage)
    process.exitCode = 2
  } else {
    console.error(err)
    process.exitCode = 1
  }
} finally {
  await db.close()
}
