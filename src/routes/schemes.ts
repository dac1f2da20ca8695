import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf, requireRole } from '../plugins/auth.ts'
import { createScheme, deleteScheme, getLiveScheme, patchScheme, replaceScheme, verifyScheme } from '../repositories/schemes.ts'
import { defaultEtag, etagOf, expectedVersion, parseIfMatch, requireIfMatch } from '../http/etag.ts'
import { idempotent } from '../http/idempotency.ts'
import { bodyVerdict, rethrowNonBodyValidation } from '../http/body.ts'
import { created, ok, send, type Outcome } from '../http/respond.ts'
import { withSummaries } from '../domain/schedule-summary.ts'
import { IdempotencyHeader, idParams, IfMatchHeader, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const SchemeId = idParams('scheme\'s', DEMO_EXAMPLES.schemeId)

const writers = requireRole('admin', 'publisher')

/**
 * A replayed answer (Idempotency-Key) kept before schedules had summaries gets them now: the
 * response schema requires them, and they are made from the document alone.
 */
const withTexts = (o: Outcome): Outcome => {
  const body = o.body as { sessions?: unknown[]; schedule_summary?: string } | null
  return body && Array.isArray(body.sessions) && body.schedule_summary === undefined ? { ...o, body: withSummaries(body as { sessions: unknown[] }) } : o
}

/** GET /v1/schemes (the search) lives in routes/search.ts, a scheme's history and service area in routes/scheme-parts.ts. */
const schemeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', defaultEtag)

  app.post('/schemes', {
    onRequest: writers,
    attachValidation: true,
    schema: {
      operationId: 'createScheme', tags: ['schemes'], security: secured,
      summary: 'Register a scheme',
      description: 'A scheme with its sessions (weekly, fortnightly, monthly, once). A publisher registers schemes of its own organisation; an admin ' +
        'names organisation_id. ' +
        'Every problem is reported at once, each with a JSON Pointer. Answers 201 with the scheme as GET shows it, a Location and an ETag. Honours ' +
          'Idempotency-Key.',
      headers: IdempotencyHeader,
      body: Type.Ref('SchemeWrite'),
      response: { 201: Type.Ref('Scheme'), ...writeProblems(409, 422) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    const actor = actorOf(request)
    return send(reply, withTexts(await idempotent(app.db, request, async (tx) => {
      const doc = await createScheme(tx, actor, request.body, checked)
      return created(`/v1/schemes/${doc.id}`, doc)
    })))
  })

  app.get('/schemes/:id', {
    schema: {
      operationId: 'getScheme', tags: ['schemes'],
      summary: 'Get a scheme',
      description: 'The scheme with all its sessions, the venues they meet at (each once, in first-use order) and its organisation, and its ETag ' +
        '("<version>") for PUT, PATCH and DELETE. The venues are read with the request: a venue\'s edit does not change the scheme\'s ETag. ' +
        '410 once deleted.',
      params: SchemeId,
      response: { 200: Type.Ref('Scheme'), ...readProblems(404, 410) },
    },
  }, async (request, reply) => {
    const doc = await getLiveScheme(app.db, request.params.id)
    reply.header('etag', etagOf(doc.version))
    return doc
  })

  app.put('/schemes/:id', {
    onRequest: writers,
    attachValidation: true,
    schema: {
      operationId: 'replaceScheme', tags: ['schemes'], security: secured,
      summary: 'Replace a scheme',
      description: 'The whole document, sessions included: the required fields (name, description, categories, delivery, contact) must all be there, ' +
        'each missing one is named in the 400; optional fields left out go back to their defaults. Needs If-Match with the ETag from a GET (428 ' +
          'without, 412 when someone changed it since).',
      params: SchemeId,
      headers: IfMatchHeader,
      body: Type.Ref('SchemeWrite'),
      response: { 200: Type.Ref('Scheme'), ...writeProblems(404, 410, 412, 428) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    const expected = expectedVersion(requireIfMatch(request))
    return send(reply, ok(await replaceScheme(app.db, actorOf(request), request.params.id, request.body, expected, checked)))
  })

  app.patch('/schemes/:id', {
    onRequest: writers,
    attachValidation: true,
    schema: {
      operationId: 'updateScheme', tags: ['schemes'], security: secured,
      summary: 'Change part of a scheme',
      description: 'A JSON Merge Patch (RFC 7396; application/merge-patch+json, or application/json): fields given replace, null removes, arrays ' +
        '(sessions too) are replaced whole. ' +
        'The merged document is checked like a PUT. Needs If-Match.',
      params: SchemeId,
      headers: IfMatchHeader,
      consumes: ['application/merge-patch+json', 'application/json'],
      body: Type.Object({},
        { additionalProperties: true, description: 'JSON Merge Patch of SchemeWrite',
          examples: [{ cost: { free: false, amount_pence: 300, per: 'session' }, min_age: null }] }),
      response: { 200: Type.Ref('Scheme'), ...writeProblems(404, 410, 412, 428) },
    },
  }, async (request, reply) => {
    rethrowNonBodyValidation(request)
    const expected = expectedVersion(requireIfMatch(request))
    return send(reply, ok(await patchScheme(app.db, actorOf(request), request.params.id, request.body, expected)))
  })

  app.delete('/schemes/:id', {
    onRequest: writers,
    schema: {
      operationId: 'deleteScheme', tags: ['schemes'], security: secured,
      summary: 'Delete a scheme',
      description: 'Soft delete: the scheme leaves search, GET answers 410, its history stays. Needs If-Match.',
      params: SchemeId,
      headers: IfMatchHeader,
      response: { 204: Type.Null({ description: 'Deleted' }), ...writeProblems(404, 410, 412, 428) },
    },
  }, async (request, reply) => {
    const expected = expectedVersion(requireIfMatch(request))
    await deleteScheme(app.db, actorOf(request), request.params.id, expected)
    return reply.code(204).send(null)
  })

  app.post('/schemes/:id/verify', {
    onRequest: writers,
    schema: {
      operationId: 'verifyScheme', tags: ['schemes'], security: secured,
      summary: 'Confirm a scheme is still running as described',
      description: 'Stamps last_verified_at (a scheme is stale 180 days after it); a new version in the history. If-Match is optional here; ' +
        'Idempotency-Key is honoured.',
      params: SchemeId,
      headers: Type.Intersect([IfMatchHeader, IdempotencyHeader]),
      response: { 200: Type.Ref('Scheme'), ...writeProblems(404, 409, 410, 412, 422) },
    },
  }, async (request, reply) => {
    const expected = expectedVersion(parseIfMatch(request))
    const actor = actorOf(request)
    return send(reply, withTexts(await idempotent(app.db, request, async (tx) => ok(await verifyScheme(tx, actor, request.params.id, expected)))))
  })
}

export default schemeRoutes
