import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { vocabularyLists } from '../domain/vocabularies.ts'

const body = vocabularyLists()

const vocabularyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/vocabularies', {
    schema: {
      operationId: 'listVocabularies', tags: ['reference'], summary: 'Codes and labels',
      description: 'Every vocabulary used on write and search (accessibility, categories, needs, audience, delivery, days, periods…), with labels. ' +
        'Unknown codes are a 400 listing these.',
      response: { 200: Type.Ref('Vocabularies') },
    },
  }, async () => body)
}

export default vocabularyRoutes
