import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ABOUT } from '../domain/about.ts'
import { problems } from '../schemas/common.ts'

const rootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'getApiRoot', tags: ['reference'], summary: 'About this API',
      description: 'Links to the docs, the search and the Open Referral UK feed, and the data attributions that the licences require.',
      // rate-limited and shed under load like every route but the probes (src/plugins/limits.ts)
      response: { 200: Type.Ref('ApiRoot'), ...problems(429, 503) },
    },
  }, async () => ABOUT)
}

export default rootRoutes
