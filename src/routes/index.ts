import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import healthRoutes from './health.ts'
import rootRoutes from './root.ts'
import vocabularyRoutes from './vocabularies.ts'
import organisationRoutes from './organisations.ts'
import keyRoutes from './keys.ts'
import venueRoutes from './venues.ts'
import schemeRoutes from './schemes.ts'
import schemePartRoutes from './scheme-parts.ts'
import searchRoutes from './search.ts'
import orukRoutes from './oruk.ts'
import exportRoutes from './export.ts'
import guideRoutes from './guides.ts'
import pageRoutes from './pages.ts'
import assetRoutes from './assets.ts'
import confirmRoutes from './confirm.ts'
import reportRoutes from './reports.ts'
import freshnessRoutes from './freshness.ts'
import feedRoutes from './feeds.ts'
import webhookRoutes from './webhooks.ts'
import calendarRoutes from './calendars.ts'
import openactiveRoutes from './openactive.ts'
import insightsRoutes from './insights.ts'

/** Every route plugin and its prefix, in one table. */
export const routeTable: Array<[FastifyPluginAsync<any>, string]> = [
  [rootRoutes, ''],
  [healthRoutes, ''],
  [vocabularyRoutes, '/v1'],
  [organisationRoutes, '/v1'],
  [keyRoutes, '/v1'],
  [venueRoutes, '/v1'],
  [schemeRoutes, '/v1'],
  [schemePartRoutes, '/v1'],
  [searchRoutes, '/v1'],
  [orukRoutes, '/oruk'],
  [exportRoutes, '/v1'],
  [feedRoutes, '/v1'],
  [webhookRoutes, '/v1'],
  [guideRoutes, '/docs/guides'],
  [pageRoutes, '/find'],
  [assetRoutes, '/assets'],
  [calendarRoutes, '/v1'],
  [confirmRoutes, '/confirm'],
  [reportRoutes, '/v1'],
  [freshnessRoutes, '/v1'],
  [openactiveRoutes, '/openactive'],
  [insightsRoutes, '/v1'],
]

export default async function routes(app: FastifyInstance) {
  for (const [plugin, prefix] of routeTable) await app.register(plugin, { prefix })
}
