import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { stringify } from 'csv-stringify/sync'
import { UnprocessableError, ValidationError } from '../errors.ts'
import { ukDate } from '../domain/schedule.ts'
import { loadAuthorities } from '../geo/authorities.ts'
import { readProblems, secured } from '../http/openapi.ts'
import { CoverageCache } from '../insights/coverage.ts'
import { coverageCsvRows, coverageGeoJson, coverageSvg } from '../insights/coverage-formats.ts'
import { demandCsvRows, demandFigures } from '../insights/demand-figures.ts'
import { findGaps } from '../insights/gaps.ts'
import { dateRange, filtersOf, parseDemandQuery, unique } from '../insights/params.ts'
import { requireRole } from '../plugins/auth.ts'
import { validationItems } from '../plugins/errors.ts'
import { demandRows } from '../repositories/demand.ts'
import { CoverageQuery, DemandQuery, GapsQuery } from '../schemas/insights.ts'
import Type from 'typebox'

/** Issue 16: demand (admin or analyst) and coverage (public) figures for commissioners (docs/insights.md). */

const COVERAGE_PARAMETERS = ['need', 'category', 'period', 'days', 'accessibility', 'free', 'radius_m']
const ok = (media: string, ref: string) => ({ description: 'OK', content: { [media]: { schema: Type.Ref(ref) } } })
const schemaErrorsOf = (request: { validationError?: unknown }) =>
  request.validationError ? validationItems((request.validationError as any).validation ?? [], 'querystring') : []

const DEMAND_DESCRIPTION = 'Searches counted per UK day and local authority (from the searched postcode or coordinates, never stored), with the ' +
  'filter codes asked and whether anything was found. Per area: searches and searches with no result, overall and per filter code, and the filter ' +
  'combinations most often left without a result. Counts of 1 to 7 are null with suppressed: true, others rounded to the nearest 5, and a count ' +
  'that a total would give away is suppressed too. A filter keeps the searches that asked any of its codes. Admin or analyst key.'
const COVERAGE_DESCRIPTION = 'Per local authority: published schemes with a matching current session at a venue there, those sessions, and the share ' +
  'of its postcodes (by postcode sector centroids, weighted by postcode units) within radius_m of a venue with a matching current session. The ' +
  'filters mean what they mean in search. Kept for a few minutes per filter set; any write drops it. New filter sets are computed one at a ' +
  'time, with a few waiting their turn; beyond that the answer is 503 with Retry-After.'

const insightsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new CoverageCache(app.config.COVERAGE_CACHE_SECONDS * 1000, app.config.COVERAGE_TIMEOUT_MS)

  async function demand(query: Record<string, unknown>, schemaErrors: ReturnType<typeof schemaErrorsOf>) {
    const parsed = parseDemandQuery(query, ukDate(app.clock()), schemaErrors)
    if (!parsed.ok) throw new ValidationError(parsed.errors)
    const [d, rows] = await Promise.all([loadAuthorities(), demandRows(app.db.reader, parsed.value.query)])
    return demandFigures(d, rows, parsed.value.query.from, parsed.value.query.to, parsed.value.area)
  }

  const demandSchema = (operationId: string, summary: string, media: string, ref: string) => ({
    operationId, tags: ['insights'], summary, description: DEMAND_DESCRIPTION, security: secured, querystring: DemandQuery,
    response: { 200: ok(media, ref), ...readProblems(403) },
  })
  app.get('/insights/demand', { attachValidation: true, onRequest: requireRole('admin', 'analyst'),
    schema: demandSchema('getDemand', 'Demand: searches and searches with no result, per area (admin, analyst)', 'application/json', 'DemandFigures'),
  }, async (request) => demand(request.query, schemaErrorsOf(request)))

  app.get('/insights/demand.csv', { attachValidation: true, onRequest: requireRole('admin', 'analyst'),
    schema: demandSchema('getDemandCsv', 'Demand as CSV (admin, analyst)', 'text/csv', 'CsvText'),
  }, async (request, reply) => {
    const f = await demand(request.query, schemaErrorsOf(request))
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="signpost-demand.csv"').send(stringify(demandCsvRows(f)))
  })

  async function coverage(query: Record<string, unknown>, schemaErrors: ReturnType<typeof schemaErrorsOf>) {
    const now = app.clock()
    const errors = [...schemaErrors]
    const f = filtersOf(query, COVERAGE_PARAMETERS, ukDate(now), errors)
    if (errors.length || !f) throw new ValidationError(unique(errors))
    const [d, c] = await Promise.all([loadAuthorities(), cache.get(app.db.reader, f, now)])
    return { d, c }
  }
  const coverageSchema = (operationId: string, summary: string, media: string, ref: string) => ({
    operationId, tags: ['insights'], summary, description: COVERAGE_DESCRIPTION, querystring: CoverageQuery,
    response: { 200: ok(media, ref), ...readProblems() },
  })

  app.get('/insights/coverage', { attachValidation: true,
    schema: coverageSchema('getCoverage', 'Coverage: matching schemes and covered postcodes per local authority', 'application/json', 'CoverageFigures'),
  }, async (request) => {
    const { c } = await coverage(request.query, schemaErrorsOf(request))
    const { covered: _map, ...figures } = c
    return figures
  })
  app.get('/insights/coverage.csv', { attachValidation: true,
    schema: coverageSchema('getCoverageCsv', 'Coverage per local authority as CSV', 'text/csv', 'CsvText'),
  }, async (request, reply) => {
    const { c } = await coverage(request.query, schemaErrorsOf(request))
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="signpost-coverage.csv"').send(stringify(coverageCsvRows(c)))
  })
  app.get('/insights/coverage.geojson', { attachValidation: true,
    schema: coverageSchema('getCoverageGeoJson', 'Coverage as GeoJSON points at each local authority', 'application/geo+json', 'CoverageGeoJson'),
  }, async (request, reply) => {
    const { d, c } = await coverage(request.query, schemaErrorsOf(request))
    return reply.type('application/geo+json').send(JSON.stringify(coverageGeoJson(d, c)))
  })
  app.get('/insights/coverage.svg', { attachValidation: true,
    schema: coverageSchema('getCoverageSvg', 'Coverage as a dot map of Great Britain (SVG)', 'image/svg+xml', 'SvgText'),
  }, async (request, reply) => {
    const { d, c } = await coverage(request.query, schemaErrorsOf(request))
    return reply.type('image/svg+xml').send(coverageSvg(d, c))
  })

  app.get('/insights/gaps', { attachValidation: true, onRequest: requireRole('admin', 'analyst'),
    schema: {
      operationId: 'getGaps', tags: ['insights'], security: secured,
      summary: 'Gaps in one local authority, in words (admin, analyst)',
      description: 'The filter combinations searched most often in the authority without a result (8 or more, rounded to 5), with the share of its ' +
        'postcodes within radius_m of a matching session, worst first, each as a sentence for a commissioner.',
      querystring: GapsQuery,
      response: { 200: Type.Ref('Gaps'), ...readProblems(403, 422) },
    },
  }, async (request) => {
    const now = app.clock()
    const errors = schemaErrorsOf(request)
    const { from, to } = dateRange(request.query, ukDate(now), errors)
    if (errors.length) throw new ValidationError(unique(errors))
    const d = await loadAuthorities()
    const a = d.byCode.get(request.query.area)
    if (!a) throw new UnprocessableError('area is not a GB local authority district code', [{ parameter: 'area', message: 'is not a GB local authority district code (e.g. E09000028)' }])
    const radius = request.query.radius_m ?? 5000
    return { area: { code: a.code, name: a.name }, from, to, radius_m: radius, gaps: await findGaps(app.db.reader, a.code, from, to, radius, now, app.config.COVERAGE_TIMEOUT_MS) }
  })
}

export default insightsRoutes
