import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { NotFoundError } from '../errors.ts'
import { actorOf, requireRole } from '../plugins/auth.ts'
import { createOrganisation, getOrganisation, listOrganisations, patchOrganisation } from '../repositories/organisations.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { defaultEtag, etagOf, expectedVersion, requireIfMatch } from '../http/etag.ts'
import { idempotent } from '../http/idempotency.ts'
import { bodyVerdict, rethrowNonBodyValidation } from '../http/body.ts'
import { created, ok, send } from '../http/respond.ts'
import { IdempotencyHeader, idParams, IfMatchHeader, ListQuery, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const OrganisationId = idParams('organisation\'s', DEMO_EXAMPLES.organisationId)

const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', defaultEtag)

  app.post('/organisations', {
    onRequest: requireRole('admin'),
    attachValidation: true,
    schema: {
      operationId: 'createOrganisation', tags: ['organisations'], security: secured,
      summary: 'Register an organisation (admin)',
      description: 'Creates a charity or community group. Answers 201 with the organisation, a Location and an ETag. Honours Idempotency-Key.',
      headers: IdempotencyHeader,
      body: Type.Ref('OrganisationWrite'),
      response: { 201: Type.Ref('Organisation'), ...writeProblems(409, 422) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    return send(reply, await idempotent(app.db, request, async (tx) => {
      const doc = await createOrganisation(tx, request.body, checked)
      return created(`/v1/organisations/${doc.id}`, doc)
    }))
  })

  app.get('/organisations', {
    schema: {
      operationId: 'listOrganisations', tags: ['organisations'],
      summary: 'List organisations',
      description: 'Every organisation, by name (lower-case, byte-wise) then id, a page at a time: pass next_cursor back as cursor.',
      querystring: ListQuery,
      response: { 200: Type.Ref('OrganisationPage'), ...readProblems() },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20
    const after = decodeCursor(request.query.cursor, ['text', 'uuid'])
    const rows = await listOrganisations(app.db, limit, after as [string, string] | null)
    const page = keysetPage(rows, limit, (r) => [r.sort, r.doc.id])
    return { items: page.items.map((r) => r.doc), next_cursor: page.next_cursor }
  })

  app.get('/organisations/:id', {
    schema: {
      operationId: 'getOrganisation', tags: ['organisations'],
      summary: 'Get an organisation',
      description: 'The organisation, with its ETag ("<version>") for a later PATCH.',
      params: OrganisationId,
      response: { 200: Type.Ref('Organisation'), ...readProblems(404) },
    },
  }, async (request, reply) => {
    const doc = await getOrganisation(app.db, request.params.id)
    if (!doc) throw new NotFoundError(`No organisation ${request.params.id}.`)
    reply.header('etag', etagOf(doc.version))
    return doc
  })

  app.patch('/organisations/:id', {
    onRequest: requireRole('admin', 'publisher'),
    attachValidation: true,
    schema: {
      operationId: 'updateOrganisation', tags: ['organisations'], security: secured,
      summary: 'Change an organisation (admin, or its publisher)',
      description: 'A JSON Merge Patch (RFC 7396; application/merge-patch+json or application/json): fields given replace, null removes. Needs If-Match.',
      params: OrganisationId,
      headers: IfMatchHeader,
      consumes: ['application/merge-patch+json', 'application/json'],
      body: Type.Object({},
        { additionalProperties: true, description: 'JSON Merge Patch of OrganisationWrite', examples: [{ phone: '020 7946 0000', website: null }] }),
      response: { 200: Type.Ref('Organisation'), ...writeProblems(404, 412, 428) },
    },
  }, async (request, reply) => {
    rethrowNonBodyValidation(request)
    const expected = expectedVersion(requireIfMatch(request))
    const doc = await patchOrganisation(app.db, actorOf(request), request.params.id, request.body, expected)
    return send(reply, ok(doc))
  })
}

export default organisationRoutes
