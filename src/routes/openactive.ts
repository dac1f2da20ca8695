import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { problems } from '../schemas/common.ts'
import { prefersHtml } from '../http/accept.ts'
import { PAGE_HELMET } from '../plugins/limits.ts'
import { dataCatalog, dataset } from '../formats/openactive/dataset.ts'
import { datasetSitePage } from '../pages/openactive.ts'
import { html, nonceOf } from './pages.ts'

const TAGS = ['openactive']
const JSON_LD = 'application/ld+json'

export const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`

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
}

export default openactiveRoutes
