import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { NotFoundError } from '../errors.ts'
import { requireRole } from '../plugins/auth.ts'
import { createKey, getKey, listKeys, revokeKey } from '../repositories/keys.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { defaultEtag } from '../http/etag.ts'
import { idempotent } from '../http/idempotency.ts'
import { bodyVerdict } from '../http/body.ts'
import { created, send } from '../http/respond.ts'
import { IdempotencyHeader, idParams, ListQuery, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const KeyId = idParams('key\'s', DEMO_EXAMPLES.keyId)

const keyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', defaultEtag)
  // Keys are an admin's business only, reads included.
  app.addHook('onRequest', requireRole('admin'))

  app.post('/keys', {
    attachValidation: true,
    schema: {
      operationId: 'createKey', tags: ['keys'], security: secured,
      summary: 'Make an API key (admin)',
      description: 'role admin, publisher (organisation_id required: the organisation it may edit), reader or analyst (the demand figures; organisation_id refused). ' +
        'The answer is the only time the key is shown: it is stored as a SHA-256 hash. An Idempotency-Key replay answers the same without the secret.',
      headers: IdempotencyHeader,
      body: Type.Ref('KeyCreate'),
      response: { 201: Type.Ref('KeyCreated'), ...writeProblems(409, 422) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    return send(reply, await idempotent(app.db, request, async (tx) => {
      const doc = await createKey(tx, request.body, checked)
      const { key: _secret, ...kept } = doc
      return { ...created(`/v1/keys/${doc.id}`, {}), body: doc, stored: kept }
    }))
  })

  app.get('/keys', {
    schema: {
      operationId: 'listKeys', tags: ['keys'], security: secured,
      summary: 'List API keys (admin)',
      description: 'Every key, revoked ones included, without secrets; a page at a time.',
      querystring: ListQuery,
      response: { 200: Type.Ref('KeyPage'), ...readProblems(403) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20
    const after = decodeCursor(request.query.cursor, ['uuid'])
    return keysetPage(await listKeys(app.db, limit, after ? after[0] : null), limit, (k) => [k.id])
  })

  app.get('/keys/:id', {
    schema: {
      operationId: 'getKey', tags: ['keys'], security: secured,
      summary: 'Get an API key (admin)',
      description: 'The key without its secret: role, organisation, label, when it was made, last used (to the minute) and revoked.',
      params: KeyId,
      response: { 200: Type.Ref('Key'), ...readProblems(403, 404) },
    },
  }, async (request) => {
    const doc = await getKey(app.db, request.params.id)
    if (!doc) throw new NotFoundError(`No key ${request.params.id}.`)
    return doc
  })

  app.delete('/keys/:id', {
    schema: {
      operationId: 'revokeKey', tags: ['keys'], security: secured,
      summary: 'Revoke an API key (admin)',
      description: 'The key stops working at once. No If-Match needed; revoking a revoked key is harmless. The key stays listed, with revoked_at.',
      params: KeyId,
      response: { 204: Type.Null({ description: 'Revoked' }), ...writeProblems(404) },
    },
  }, async (request, reply) => {
    if (!(await revokeKey(app.db, request.params.id))) throw new NotFoundError(`No key ${request.params.id}.`)
    return reply.code(204).send(null)
  })
}

export default keyRoutes
