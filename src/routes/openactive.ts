import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { problems } from '../schemas/common.ts'
import { prefersHtml } from '../http/accept.ts'
import { PAGE_HELMET } from '../plugins/limits.ts'
import { dataCatalog, dataset } from '../formats/openactive/dataset.ts'
import { datasetSitePage } from '../pages/openactive.ts'
import { html, nonceOf } from './pages.ts'
import { baseUrl } from '../http/base-url.ts'
import { readProblems } from '../http/openapi.ts'
import { rpdePage } from '../feeds/rpde.ts'
import { FeedQuery } from '../schemas/feed.ts'
import { changeItems } from '../repositories/changes.ts'
import { organisationsByIds } from '../repositories/openactive.ts'
import { loadNations } from '../geo/nations.ts'
import { OA_LICENSE } from '../formats/openactive/dataset.ts'
import { toSessionSeries, type Scheme } from '../formats/openactive/session-series.ts'

const TAGS = ['openactive']
const JSON_LD = 'application/ld+json'

/**
 * OpenActive open data (docs/openactive.md): the dataset site and its feeds. Open to every
 * origin, as OpenActive's consumers (often in a browser) expect.
 */
const openactiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', async (_request, reply) => { reply.header('access-control-allow-origin', '*') })
  // With READS_REQUIRE_KEY the directory is not open to read, so there is no page for people.
  const pages = !app.config.READS_REQUIRE_KEY

  app.get('', {
    helmet: PAGE_HELMET,
    schema: {
      operationId: 'getOpenActiveDatasetSite', tags: TAGS, summary: 'OpenActive dataset site',
      description: 'The OpenActive dataset site: a schema.org Dataset (JSON-LD) whose distribution lists each RPDE feed. A client that prefers ' +
        'text/html in Accept (a browser) gets the page for people, with the same Dataset embedded as JSON-LD; any other gets application/ld+json.',
      response: {
        200: { description: 'OK', content: {
          [JSON_LD]: { schema: Type.Ref('OaDataset') },
          'text/html': { schema: Type.String({ description: 'The dataset site page, with the Dataset in a script element of type application/ld+json' }) },
        } },
        ...problems(429, 503),
      },
    },
  }, async (request, reply) => {
    reply.header('vary', 'accept')
    const d = dataset({ base: baseUrl(request) })
    if (pages && prefersHtml(request.headers.accept)) return html(reply).send(datasetSitePage(nonceOf(reply), d))
    return reply.type(JSON_LD).send(d)
  })

  app.get('/data-catalog', {
    schema: {
      operationId: 'getOpenActiveDataCatalog', tags: TAGS, summary: 'OpenActive data catalogue',
      description: 'A schema.org DataCatalog (JSON-LD) that lists the dataset site, for OpenActive\'s catalogue of publishers.',
      response: { 200: { description: 'OK', content: { [JSON_LD]: { schema: Type.Ref('OaDataCatalog') } } }, ...problems(429, 503) },
    },
  }, async (request, reply) => reply.type(JSON_LD).send(dataCatalog({ base: baseUrl(request) })))

  app.get('/session-series', {
    schema: {
      operationId: 'getOpenActiveSessionSeries', tags: TAGS, summary: 'OpenActive SessionSeries feed (RPDE)',
      description: 'Every scheme once, at its latest change, in change order (RPDE 1.0, afterChangeNumber ordering): `updated` with an OpenActive ' +
        'SessionSeries when the scheme is a physical activity that is active, with a venue or online; `deleted` otherwise (deleted, paused, ended, ' +
        'or not an activity on the OpenActive activity list). Walk from the start, then keep asking for `next`; the last page has no items and ' +
        '`next` is its own URL. A page with items is cacheable for an hour, the last page for 8 seconds. See docs/openactive.md.',
      querystring: FeedQuery,
      response: { 200: Type.Ref('OaSessionSeriesPage'), ...readProblems() },
    },
  }, async (request, reply) => {
    const rows = await changeItems(app.db, 'scheme', request.query.afterChangeNumber ?? null, request.query.limit ?? 500)
    const schemes = rows.map((r) => r.data as Scheme | undefined)
    const organisations = await organisationsByIds(app.db, schemes.flatMap((s) => (s ? [s.organisation_id] : [])))
    const ctx = { base: baseUrl(request), nationOf: await loadNations() }
    const items = rows.map((r, i) => {
      const scheme = schemes[i]
      const series = scheme ? toSessionSeries({ scheme, organisation: organisations.get(scheme.organisation_id) }, ctx) : null
      return { id: r.id, change_number: r.change_number, deleted: !series, data: series ?? undefined }
    })
    const { page, cacheControl } = rpdePage(new URL(request.url, ctx.base), 'SessionSeries', items, OA_LICENSE)
    reply.header('cache-control', cacheControl)
    return page
  })
}

export default openactiveRoutes
