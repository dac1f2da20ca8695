import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { changeItems, type ChangeKind } from '../repositories/changes.ts'
import { rpdePage } from '../feeds/rpde.ts'
import { baseUrl } from '../http/base-url.ts'
import { readProblems } from '../http/openapi.ts'
import { FeedQuery } from '../schemas/feed.ts'

const FEEDS: Array<{ path: string; kind: ChangeKind; operationId: string; page: string; what: string }> = [
  { path: '/feeds/schemes', kind: 'scheme', operationId: 'schemeFeed', page: 'SchemeFeedPage', what: 'schemes (with their sessions and venues)' },
  { path: '/feeds/venues', kind: 'venue', operationId: 'venueFeed', page: 'VenueFeedPage', what: 'venues' },
  { path: '/feeds/organisations', kind: 'organisation', operationId: 'organisationFeed', page: 'OrganisationFeedPage', what: 'organisations' },
]

/** The change feeds (RPDE 1.0): what changed since a consumer last looked (docs/feeds.md). */
const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const feed of FEEDS) {
    app.get(feed.path, {
      schema: {
        operationId: feed.operationId, tags: ['feeds'],
        summary: `Change feed of ${feed.what}`,
        description: `Every ${feed.kind} once, at its latest change, in change order (RPDE 1.0, afterChangeNumber ordering): walk from the start, ` +
          'then keep asking for `next`. A deleted one arrives as a `deleted` item without data and stays for at least ' +
          `${app.config.FEED_TOMBSTONE_DAYS} days. The last page has no items and \`next\` is its own URL: ask it again later. ` +
          'A page with items is cacheable for an hour, the last page for 8 seconds. See docs/feeds.md.',
        querystring: FeedQuery,
        response: { 200: Type.Ref(feed.page), ...readProblems() },
      },
    }, async (request, reply) => {
      const limit = request.query.limit ?? 500
      const rows = await changeItems(app.db, feed.kind, request.query.afterChangeNumber ?? null, limit)
      const self = new URL(request.url, baseUrl(request))
      const { page, cacheControl } = rpdePage(self, feed.kind, rows, app.config.FEED_LICENSE_URL)
      reply.header('cache-control', cacheControl)
      return page
    })
  }
}

export default feedRoutes
