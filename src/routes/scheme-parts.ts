import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { NotFoundError } from '../errors.ts'
import { actorOf, requireRole } from '../plugins/auth.ts'
import { getServiceArea, schemeExists } from '../repositories/schemes.ts'
import { setCapacity } from '../repositories/scheme-capacity.ts'
import { listHistory } from '../repositories/history.ts'
import { Cursor } from '../schemas/common.ts'
import { bodyVerdict } from '../http/body.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { defaultEtag, etagOf, expectedVersion, parseIfMatch } from '../http/etag.ts'
import { idParams, OptionalIfMatchHeader, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { send } from '../http/respond.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const SchemeId = idParams('scheme\'s', DEMO_EXAMPLES.schemeId)
const AreaSchemeId = idParams('scheme\'s', DEMO_EXAMPLES.areaSchemeId)

/**
 * A history entry holds the whole scheme as it stood (up to about 1.1 MB: docs/security.md,
 * "Response sizes"), so a page holds at most HISTORY_MAX_LIMIT of them.
 */
export const HISTORY_DEFAULT_LIMIT = 10
export const HISTORY_MAX_LIMIT = 10
const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT,
    description: `Versions on a page, 1–${HISTORY_MAX_LIMIT}` })),
  cursor: Type.Optional(Cursor),
}, { additionalProperties: false })

/** The parts of a scheme read or written on their own: its history, its service area and its capacity. */
const schemePartRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', defaultEtag)

  app.get('/schemes/:id/history', {
    schema: {
      operationId: 'getSchemeHistory', tags: ['schemes'],
      summary: 'A scheme\'s history',
      description: `Every version, newest first: the action (create, update, verify, delete), when, who (key id and role) and the scheme as it stood. Kept after a delete. ${HISTORY_DEFAULT_LIMIT} a page unless limit says otherwise (at most ${HISTORY_MAX_LIMIT}); next_cursor leads to the older ones.`,
      params: SchemeId,
      querystring: HistoryQuery,
      response: { 200: Type.Ref('HistoryPage'), ...readProblems(404) },
    },
  }, async (request) => {
    const { id } = request.params
    if (!(await schemeExists(app.db, id))) throw new NotFoundError(`No scheme ${id}.`)
    const limit = request.query.limit ?? HISTORY_DEFAULT_LIMIT
    const before = decodeCursor(request.query.cursor, ['int'])
    return keysetPage(await listHistory(app.db, id, limit, before ? before[0] : null), limit, (r) => [r.version])
  })

  app.get('/schemes/:id/service_area', {
    schema: {
      operationId: 'getSchemeServiceArea', tags: ['schemes'],
      summary: 'A scheme\'s service area',
      description: 'Where a remote scheme serves, whole: a polygon\'s GeoJSON geometry (at most 2,000 positions, 100 KB), which search items leave ' +
        'out (they carry its bbox and a link here). ' +
        '404 when the scheme has no service area (in person only); 410 once deleted.',
      params: AreaSchemeId,
      response: { 200: Type.Ref('ServiceArea'), ...readProblems(404, 410) },
    },
  }, async (request) => {
    const area = await getServiceArea(app.db, request.params.id)
    if (!area) throw new NotFoundError(`Scheme ${request.params.id} has no service area: it is delivered in person only.`)
    return area
  })

  app.put('/schemes/:id/capacity', {
    onRequest: requireRole('admin', 'publisher'),
    attachValidation: true,
    schema: {
      operationId: 'setSchemeCapacity', tags: ['schemes'], security: secured,
      summary: 'Say whether a scheme has room',
      description: 'The capacity alone, without sending the whole scheme: places available (and how many), a waiting list (and about how many ' +
        'weeks), or full. The server stamps updated_at (now, even when the figures are unchanged: they still hold). A publisher of the scheme\'s ' +
        'organisation, or an admin. A new version of the scheme, kept in its history as an update; the answer is the capacity with the scheme\'s ' +
        'new ETag. If-Match is optional here: when sent, it must name the current version (412 otherwise). To remove the capacity, PATCH the ' +
        'scheme with {"capacity": null}.',
      params: SchemeId,
      headers: OptionalIfMatchHeader,
      body: Type.Ref('CapacityWrite'),
      response: { 200: Type.Ref('Capacity'), ...writeProblems(404, 410, 412) },
    },
  }, async (request, reply) => {
    const checked = bodyVerdict(request)
    const expected = expectedVersion(parseIfMatch(request))
    const { capacity, version } = await setCapacity(app.db, actorOf(request), request.params.id, request.body, expected, checked)
    return send(reply, { status: 200, headers: { etag: etagOf(version) }, body: capacity })
  })
}

export default schemePartRoutes
