import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { startFeedWorker } from '../feeds/worker.ts'

/** Runs the feeds' background work (src/feeds/worker.ts) while the app is up, when FEED_WORKER is on. */
export default fp(async function feedWorker(app: FastifyInstance) {
  const c = app.config
  if (!c.FEED_WORKER) return
  let worker: ReturnType<typeof startFeedWorker> | undefined
  app.addHook('onReady', async () => {
    worker = startFeedWorker(app.db, app.log, {
      pollMs: c.WEBHOOK_POLL_MS, tombstoneDays: c.FEED_TOMBSTONE_DAYS, allowPrivate: c.WEBHOOK_ALLOW_PRIVATE, timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS, retryMaxMs: c.WEBHOOK_RETRY_MAX_MS, disableAfter: c.WEBHOOK_DISABLE_AFTER, now: app.clock,
    })
  })
  app.addHook('onClose', async () => { await worker?.stop() })
}, { name: 'feed-worker', dependencies: ['db'] })
