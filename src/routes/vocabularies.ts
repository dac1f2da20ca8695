import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { VOCABULARIES } from '../domain/vocabularies.ts'

const body = Object.fromEntries(
  Object.entries(VOCABULARIES).map(([name, terms]) => [name, Object.entries(terms).map(([code, label]) => ({ code, label }))]),
)

export default async function vocabularyRoutes(app: FastifyInstance) {
  app.get('/vocabularies', {
    schema: {
      operationId: 'listVocabularies', tags: ['reference'], summary: 'Codes and labels',
      description: 'Every vocabulary used on write and search (accessibility, categories, needs, audience, delivery, days, periods…), with labels. Unknown codes are a 400 listing these.',
      response: { 200: Type.Ref('Vocabularies') },
    },
  }, async () => body)
}
