// npm run keys:create -- --role admin|publisher|reader|analyst [--organisation ID] [--label TEXT]
// Makes an API key in the configured database (DATABASE_URL, else the embedded one in
// DATA_DIR) and prints it once: only its SHA-256 hash is stored. The embedded database
// can be opened by one process at a time: stop the server first, or use POST /v1/keys.
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { loadConfig, ConfigError } from '../src/config.ts'
import { connect, type Db } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { ValidationError } from '../src/errors.ts'
import { createKey } from '../src/repositories/keys.ts'

const usage = 'usage: npm run keys:create -- --role admin|publisher|reader|analyst [--organisation ID] [--label TEXT]'
const FLAGS: Record<string, string> = { '/role': '--role', '/organisation_id': '--organisation', '/label': '--label' }

interface Out { log(s: string): void; error(s: string): void }

/** Reads the arguments (null and a message when they are wrong). */
export function readArgs(argv: string[]): { role?: string; organisation?: string; label?: string; help?: boolean } | string {
  try {
    return parseArgs({ args: argv, options: { role: { type: 'string' }, organisation: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean' } }, strict: true }).values
  } catch (err) {
    return (err as Error).message
  }
}

/** Makes the key in `db`; the key alone goes to out.log, everything else to out.error. Returns the exit code. */
export async function keysCreate(argv: string[], db: Db, out: Out = console): Promise<number> {
  const args = readArgs(argv)
  if (typeof args === 'string' || !args.role) {
    out.error(typeof args === 'string' ? `${args}\n${usage}` : usage)
    return 2
  }
  const body: Record<string, string> = { role: args.role }
  if (args.organisation !== undefined) body.organisation_id = args.organisation
  if (args.label !== undefined) body.label = args.label
  try {
    const created = await db.transaction((tx) => createKey(tx, body))
    out.error(`Created a${created.role === 'admin' ? 'n' : ''} ${created.role} key${created.organisation_id ? ` for organisation ${created.organisation_id}` : ''} (id ${created.id}).`)
    out.error('It is shown this once; only its hash is kept. Send it as: Authorization: Bearer <key>')
    out.log(created.key)
    return 0
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    for (const e of err.errors ?? []) out.error(`${FLAGS[e.pointer ?? ''] ?? e.pointer}: ${e.message}`)
    out.error(usage)
    return 2
  }
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2))
  if (typeof args === 'string' || !args.role || args.help) {
    console.error(typeof args === 'string' ? `${args}\n${usage}` : usage)
    return typeof args !== 'string' && args.help ? 0 : 2
  }
  let config
  try {
    config = loadConfig()
  } catch (err) {
    console.error(err instanceof ConfigError ? `signpost: ${err.message}` : err)
    return 1
  }
  const db = await connect({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })
  try {
    await migrate(db)
    return await keysCreate(process.argv.slice(2), db)
  } finally {
    await db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main().catch((err) => { console.error(err); return 1 })
}
