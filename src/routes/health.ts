import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { problems } from '../schemas/common.ts'
import { ServiceUnavailableError } from '../errors.ts'
import { ping } from '../repositories/health.ts'

const Status = Type.Object({ status: Type.String() })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    schema: { operationId: 'getHealth', tags: ['health'], summary: 'Liveness', description: 'The process is up. It does not touch the database.',
      response: { 200: { ...Status, examples: [{ status: 'ok' }] } } },
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    schema: { operationId: 'getReadiness', tags: ['health'], summary: 'Readiness',
      description: 'The database answers. 503 problem+json when it does not.',
        response: { 200: { ...Status, examples: [{ status: 'ready' }] }, ...problems(503) } },
  }, async () => {
    try {
      await ping(app.db)
    } catch {
      throw new ServiceUnavailableError('The database is not answering.')
    }
    return { status: 'ready' }
  })
}

export default healthRoutes
