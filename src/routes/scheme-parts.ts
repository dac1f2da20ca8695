import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { NotFoundError } from '../errors.ts'
import { getServiceArea, schemeExists } from '../repositories/schemes.ts'
import { listHistory } from '../repositories/history.ts'
import { Cursor } from '../schemas/common.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { defaultEtag } from '../http/etag.ts'
import { idParams, readProblems } from '../http/openapi.ts'
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

/** The parts of a scheme read on their own: its history and its service area. */
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
}

export default schemePartRoutes
