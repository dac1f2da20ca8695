import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/client.ts'
import searchRoutes from '../../src/routes/search.ts'
import { TEST_LIMITS } from '../helper.ts'

/**
 * A second app over the same database whose search also answers at /pinned/v1/schemes
 * with the clock stopped at `now`: "today", verified_within_days and next_occurrences
 * then mean the same instant to the service and to the test.
 */
export async function pinnedApp(t: { teardown(fn: () => unknown): void }, db: Db, now: Date): Promise<FastifyInstance> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS }), { db })
  await app.register(searchRoutes, { prefix: '/pinned/v1', now: () => now })
  await app.ready()
  t.teardown(() => app.close())
  return app
}
