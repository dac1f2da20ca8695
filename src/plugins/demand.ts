import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DemandRecorder } from '../insights/recorder.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The demand counters (src/insights/recorder.ts); null with DEMAND_RECORDING=false. */
    demand: DemandRecorder | null
  }
}

/**
 * The demand recorder, one per process, written to the primary database; its counters are
 * written once more when the app closes (registered after the database, so closed before it).
 */
export default fp(async function demand(app: FastifyInstance) {
  const c = app.config
  const recorder = c.DEMAND_RECORDING
    ? new DemandRecorder(app.db, { maxKeys: c.DEMAND_MAX_KEYS, flushIntervalMs: c.DEMAND_FLUSH_INTERVAL_MS, log: app.log })
    : null
  app.decorate('demand', recorder)
  if (recorder) app.addHook('onClose', async () => { await recorder.close() })
}, { name: 'demand', dependencies: ['db'] })
