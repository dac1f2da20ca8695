import { loadConfig, ConfigError } from './config.ts'
import { buildApp } from './app.ts'
import { createScheduler } from './freshness/scheduler.ts'

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`signpost: cannot start. ${err.message}`)
    process.exit(1)
  }
  throw err
}

let app: Awaited<ReturnType<typeof buildApp>>
try {
  app = await buildApp(config)
} catch (err) {
  // e.g. the database cannot be reached for the start-up migrations: exit for a supervisor to retry
  console.error(`signpost: cannot start. ${(err as Error).message}`)
  process.exit(1)
}

// Reminders, unlisting and report digests (docs/freshness.md): one scheduler per process,
// which share the work through the database.
const scheduler = createScheduler({ db: app.db, config, clock: app.clock, log: app.log })

/** How long answers keep saying Connection: close before idle keep-alive sockets are closed. */
const DRAIN_GRACE_MS = 1500

let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight')
  const timer = setTimeout(() => {
    app.log.error('shutdown took longer than 30 s; exiting')
    process.exit(1)
  }, 30000)
  timer.unref()
  try {
    // First a grace period in which every answer says Connection: close (new requests get
    // 503): a client that sends on a keep-alive socket just now is answered, not cut off,
    // and opens a new connection (to another instance) next time.
    await scheduler.stop()
    app.startDraining()
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS))
    // app.close stops accepting, waits for in-flight requests, then runs onClose (database).
    await app.close()
    process.exit(0)
  } catch (err) {
    app.log.error({ err }, 'error during shutdown')
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// `npm start` and `npx tsx` exit on SIGTERM without passing it on, which would leave this
// process serving on, orphaned. When the process that started us goes away, drain and exit
// just the same. (Started by a supervisor as PID 1's child, there is nothing to watch.)
const parent = process.ppid
if (parent > 1) {
  setInterval(() => { if (process.ppid !== parent) void shutdown('parent exited') }, 250).unref()
}

try {
  await app.listen({ port: config.PORT, host: config.HOST })
  scheduler.start()
} catch (err) {
  app.log.fatal({ err }, 'could not start')
  process.exit(1)
}
