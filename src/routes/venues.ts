import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf, requireRole } from '../plugins/auth.ts'
import { createVenue, deleteVenue, getLiveVenue, listVenues, patchVenue } from '../repositories/venues.ts'
import { Uuid } from '../schemas/organisation.ts'
import { Cursor, Limit } from '../schemas/common.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { defaultEtag, etagOf, expectedVersion, requireIfMatch } from '../http/etag.ts'
import { idempotent } from '../http/idempotency.ts'
import { bodyVerdict, rethrowNonBodyValidation } from '../http/body.ts'
import { created, ok, send } from '../http/respond.ts'
import { IdempotencyHeader, idParams, IfMatchHeader, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const VenueId = idParams('venue\'s', DEMO_EXAMPLES.venueId)
// the example of a delete: a venue no session uses (a venue in use cannot be deleted)
const SpareVenueId = idParams('venue\'s', DEMO_EXAMPLES.spareVenueId)

const VenueListQuery = Type.Object({
  organisation_id: Type.Optional(Uuid('Only this organisation\'s venues')),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
}, { additionalProperties: false })

const venueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', defaultEtag)

  app.post('/venues', {
    onRequest: requireRole('admin', 'publisher'),
    attachValidation: true,
    schema: {
      operationId: 'createVenue', tags: ['venues'], security: secured,
      summary: 'Add a venue',
      description: 'A place where sessions meet. A publisher adds venues to its own organisation; an admin names organisation_id. ' +
        'Without location the venue is placed at its postcode (full postcode, else its sector or district centroid); ' +
        'a postcode that cannot be placed (Northern Ireland, or not in the data) is a 422: give location instead. Honours Idempotency-Key.',
      headers: IdempotencyHeader,
      body: Type.Ref('VenueWrite'),
      response: { 201: Type.Ref('Venue'), ...writeProblems(409, 422) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    const actor = actorOf(request)
    return send(reply, await idempotent(app.db, request, async (tx) => {
      const doc = await createVenue(tx, actor, request.body, checked)
      return created(`/v1/venues/${doc.id}`, doc)
    }))
  })

  app.get('/venues', {
    schema: {
      operationId: 'listVenues', tags: ['venues'],
      summary: 'List venues',
      description: 'Venues that are not deleted, by name then id, a page at a time; organisation_id narrows to one organisation.',
      querystring: VenueListQuery,
      response: { 200: Type.Ref('VenuePage'), ...readProblems() },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20
    const after = decodeCursor(request.query.cursor, ['text', 'uuid'])
    const rows = await listVenues(app.db, limit, request.query.organisation_id, after as [string, string] | null)
    const page = keysetPage(rows, limit, (r) => [r.sort, r.doc.id])
    return { items: page.items.map((r) => r.doc), next_cursor: page.next_cursor }
  })

  app.get('/venues/:id', {
    schema: {
      operationId: 'getVenue', tags: ['venues'],
      summary: 'Get a venue',
      description: 'The venue with its ETag. 410 once it has been deleted.',
      params: VenueId,
      response: { 200: Type.Ref('Venue'), ...readProblems(404, 410) },
    },
  }, async (request, reply) => {
    const doc = await getLiveVenue(app.db, request.params.id)
    reply.header('etag', etagOf(doc.version))
    return doc
  })

  app.patch('/venues/:id', {
    onRequest: requireRole('admin', 'publisher'),
    attachValidation: true,
    schema: {
      operationId: 'updateVenue', tags: ['venues'], security: secured,
      summary: 'Change a venue',
      description: 'A JSON Merge Patch (RFC 7396) of the venue. A new postcode without a location (or location: null) places the venue again from the ' +
        'postcode. Needs If-Match.',
      params: VenueId,
      headers: IfMatchHeader,
      consumes: ['application/merge-patch+json', 'application/json'],
      body: Type.Object({},
        { additionalProperties: true, description: 'JSON Merge Patch of VenueWrite (organisation_id cannot change)',
          examples: [{ accessibility: ['step_free', 'hearing_loop'] }] }),
      response: { 200: Type.Ref('Venue'), ...writeProblems(404, 410, 412, 422, 428) },
    },
  }, async (request, reply) => {
    rethrowNonBodyValidation(request)
    const expected = expectedVersion(requireIfMatch(request))
    return send(reply, ok(await patchVenue(app.db, actorOf(request), request.params.id, request.body, expected)))
  })

  app.delete('/venues/:id', {
    onRequest: requireRole('admin', 'publisher'),
    schema: {
      operationId: 'deleteVenue', tags: ['venues'], security: secured,
      summary: 'Delete a venue',
      description: 'Soft delete: GET then answers 410. Refused with 409, naming the schemes, while a current session of a scheme meets there. Needs If-Match.',
      params: SpareVenueId,
      headers: IfMatchHeader,
      response: { 204: Type.Null({ description: 'Deleted' }), ...writeProblems(404, 409, 410, 412, 428) },
    },
  }, async (request, reply) => {
    const expected = expectedVersion(requireIfMatch(request))
    await deleteVenue(app.db, actorOf(request), request.params.id, expected)
    return reply.code(204).send(null)
  })
}

export default venueRoutes
