import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { stringify } from 'csv-stringify/sync'
import { problems } from '../schemas/common.ts'
import { ValidationError } from '../errors.ts'
import type { BBox } from '../db/spatial.ts'
import { exportBatch, venueFeatures, type ExportKey } from '../repositories/export.ts'
import { schemeRecords } from '../formats/csv/write.ts'
import { HEADER } from '../formats/csv/template.ts'
import type { Db } from '../db/client.ts'

const OrganisationFilter = Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: 'Only this organisation\'s records' }))
const BATCH = 200

/** The whole export as CSV text chunks: a header, then each batch of schemes. */
async function* csvChunks(db: Db, organisationId: string | undefined): AsyncGenerator<string> {
  yield '\uFEFF' + stringify([HEADER])
  let after: ExportKey | null = null
  for (;;) {
    const batch = await exportBatch(db, organisationId, after, BATCH)
    if (batch.length === 0) return
    yield stringify(batch.flatMap((item) => schemeRecords(item)), { columns: HEADER })
    if (batch.length < BATCH) return
    after = batch[batch.length - 1].key
  }
}

const BBOX_MESSAGE = 'must be minLon,minLat,maxLon,maxLat: four numbers, longitudes -180 to 180, latitudes -90 to 90, each minimum below its maximum'

/** bbox=minLon,minLat,maxLon,maxLat (WGS84), as QGIS and OGC APIs write it. */
export function parseBbox(text: string | undefined): BBox | undefined {
  if (text === undefined) return undefined
  const parts = text.split(',').map((p) => p.trim())
  const n = parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : NaN))
  const [minLon, minLat, maxLon, maxLat] = n
  const ok = n.length === 4 && n.every(Number.isFinite) &&
    minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90 && minLon < maxLon && minLat < maxLat
  if (!ok) throw new ValidationError([{ parameter: 'bbox', message: BBOX_MESSAGE }])
  return { minLon, minLat, maxLon, maxLat }
}

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/export.csv', {
    schema: {
      operationId: 'exportCsv', tags: ['reference'], summary: 'The directory as CSV',
      description: 'Every scheme that is not deleted (any status), one row per session, in the CSV template that `npm run import` reads (columns in ' +
        'docs/import.md). ' +
        'Ordered by organisation name, then scheme name. A leading = + - or @ in a text cell is prefixed with \' so that spreadsheets do not run it ' +
          'as a formula; the import removes it.',
      querystring: Type.Object({ organisation_id: OrganisationFilter }, { additionalProperties: false }),
      response: { 200: { description: 'OK', content: { 'text/csv': { schema: Type.Ref('ExportCsv') } } }, ...problems(400, 503) },
    },
  }, async (request, reply) => {
    const { organisation_id } = request.query
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="signpost-export.csv"')
      .send(Readable.from(csvChunks(app.db, organisation_id)))
  })

  app.get('/venues.geojson', {
    schema: {
      operationId: 'exportVenuesGeoJson', tags: ['reference'], summary: 'Venues as GeoJSON',
      description: 'Every venue that is not deleted as a GeoJSON FeatureCollection (RFC 7946, WGS84), with the active schemes that have a current ' +
        'session there: ' +
        'open it in QGIS to see coverage and gaps. `bbox=minLon,minLat,maxLon,maxLat` keeps the venues inside that box (edges included).',
      querystring: Type.Object({
        bbox: Type.Optional(Type.String({ maxLength: 200, description: 'minLon,minLat,maxLon,maxLat (WGS84)', examples: ['-0.2,51.4,0.0,51.55'] })),
        organisation_id: OrganisationFilter,
      }, { additionalProperties: false }),
      response: { 200: { description: 'OK', content: { 'application/geo+json': { schema: Type.Ref('VenueFeatureCollection') } } }, ...problems(400, 503) },
    },
  }, async (request, reply) => {
    const q = request.query
    const features = await venueFeatures(app.db, parseBbox(q.bbox), q.organisation_id, app.clock())
    // sent as text: the features are built in SQL and must go out whole
    return reply.type('application/geo+json').send(JSON.stringify({ type: 'FeatureCollection', features }))
  })
}

export default exportRoutes
