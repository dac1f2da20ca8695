import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ABOUT } from '../domain/about.ts'
import { prefersHtml } from '../http/accept.ts'
import { searchFormPage } from '../pages/pages.ts'
import { PAGE_HELMET } from '../plugins/limits.ts'
import { problems } from '../schemas/common.ts'
import { html, nonceOf } from './pages.ts'

const rootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // With READS_REQUIRE_KEY the directory is not open to read, so there is no page for people.
  const pages = !app.config.READS_REQUIRE_KEY
  app.get('/', {
    helmet: PAGE_HELMET,
    schema: {
      operationId: 'getApiRoot', tags: ['reference'], summary: 'About this API',
      description: 'Links to the docs, the search and the Open Referral UK feed, and the data attributions that the licences require. ' +
        'A client that prefers text/html to application/json in Accept (a browser) gets the search page for people instead; any other gets JSON.',
      // rate-limited and shed under load like every route but the probes (src/plugins/limits.ts)
      response: {
        200: { description: 'OK', content: {
          'application/json': { schema: Type.Ref('ApiRoot') },
          'text/html': { schema: Type.String({ description: 'The search page (/find), for a browser' }) },
        } },
        ...problems(429, 503),
      },
    },
  }, async (request, reply) => {
    reply.header('vary', 'accept')
    if (pages && prefersHtml(request.headers.accept)) return html(reply).send(searchFormPage(nonceOf(reply)))
    return ABOUT
  })
}

export default rootRoutes
