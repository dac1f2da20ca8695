import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { GUIDES, guidePages } from '../docs/guides.ts'
import { NotFoundError } from '../errors.ts'

/** GET /docs/guides and /docs/guides/{name}: the guides in docs/ as HTML (src/docs/guides.ts). */
const guideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pages = guidePages()
  const html = 'text/html; charset=utf-8'
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type(html).send(pages.get('')))
  app.get('/:name', {
    schema: { hide: true, params: Type.Object({ name: Type.String({ maxLength: 40 }) }) },
  }, async (request, reply) => {
    const page = GUIDES.some(([name]) => name === request.params.name) ? pages.get(request.params.name) : undefined
    if (!page) throw new NotFoundError(`No guide called ${request.params.name}: the guides are listed at /docs/guides`)
    return reply.type(html).send(page)
  })
}

export default guideRoutes
