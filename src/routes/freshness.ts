import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { stringify } from 'csv-stringify/sync'
import { reminderDays } from '../config.ts'
import { NotFoundError } from '../errors.ts'
import { assertOwner, requireRole } from '../plugins/auth.ts'
import { dueSchemes } from '../repositories/freshness.ts'
import { freshnessByPlace, type FreshnessByPlace } from '../freshness/report.ts'
import { organisationExists } from '../repositories/organisations.ts'
import { idParams, readProblems, secured } from '../http/openapi.ts'
import { problems } from '../schemas/common.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const OrganisationId = idParams('organisation\'s', DEMO_EXAMPLES.organisationId)
const COUNTS = ['schemes', 'confirmed_within_90', 'confirmed_within_180', 'confirmed_within_365', 'unconfirmed', 'unlisted', 'open_reports'] as const

function csvOf(report: FreshnessByPlace): string {
  const rows = [
    ...report.by_organisation.map((r) => ['organisation', r.organisation_id, r.organisation_name, ...COUNTS.map((c) => r[c])]),
    ...report.by_local_authority.map((r) => ['local_authority', r.local_authority_code ?? 'remote', r.local_authority_name, ...COUNTS.map((c) => r[c])]),
  ]
  // cells that a spreadsheet would run as a formula are prefixed, as the export does
  const safe = rows.map((row) => row.map((v) => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v)))
  return stringify([['grouping', 'key', 'name', ...COUNTS], ...safe])
}

/** What owners and admins see of freshness (issue 15, docs/freshness.md). */
const freshnessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const firstReminder = (reminderDays(app.config.REMINDER_DAYS) ?? [90])[0]

  app.get('/organisations/:id/due', {
    onRequest: requireRole('admin', 'publisher'),
    schema: {
      operationId: 'listDueSchemes', tags: ['freshness'], security: secured,
      summary: 'An organisation\'s schemes due for confirmation',
      description: `Schemes (not ended) last confirmed ${firstReminder} or more days ago, oldest first, each due, overdue (stale) or unconfirmed ` +
        '(out of search until confirmed), with its latest reminder and open reports. The organisation\'s publisher or an admin.',
      params: OrganisationId,
      response: { 200: Type.Ref('DueList'), ...readProblems(403, 404) },
    },
  }, async (request) => {
    assertOwner(request, request.params.id, 'organisation')
    if (!(await organisationExists(app.db, request.params.id))) throw new NotFoundError(`No organisation ${request.params.id}.`)
    return { items: await dueSchemes(app.db, request.params.id, app.clock(), firstReminder) }
  })

  app.get('/insights/freshness', {
    onRequest: requireRole('admin'),
    schema: {
      operationId: 'freshnessReport', tags: ['freshness'], security: secured,
      summary: 'How fresh the directory is (admin)',
      description: 'Live schemes by organisation and by the local authority of their venues (remote: no venue): confirmed within 90, 180 and 365 days, unconfirmed ' +
        'longer, unlisted, and open reports. JSON, or CSV with format=csv.',
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })) },
        { additionalProperties: false }),
      response: {
        200: { description: 'OK', content: { 'application/json': { schema: Type.Ref('FreshnessReport') }, 'text/csv': { schema: Type.Ref('FreshnessCsv') } } },
        ...problems(400, 401, 403, 429, 503),
      },
    },
  }, async (request, reply) => {
    const report = await freshnessByPlace(app.db, app.clock())
    if (request.query.format !== 'csv') return report
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="signpost-freshness.csv"').send(csvOf(report))
  })
}

export default freshnessRoutes
