import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { assertOwner, requireRole } from '../plugins/auth.ts'
import { TooManyRequestsError } from '../plugins/limits.ts'
import { NotFoundError } from '../errors.ts'
import { closeReport, createReport, listReports } from '../repositories/reports.ts'
import { organisationExists } from '../repositories/organisations.ts'
import { idParams, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'
import type { ReportWrite } from '../schemas/freshness.ts'

const SchemeId = idParams('scheme\'s', DEMO_EXAMPLES.schemeId)
const OrganisationId = idParams('organisation\'s', DEMO_EXAMPLES.organisationId)
const ReportParams = Type.Object({
  id: Type.String({ format: 'uuid', maxLength: 36, description: 'The organisation\'s id', examples: [DEMO_EXAMPLES.organisationId] }),
  report_id: Type.String({ format: 'uuid', maxLength: 36, description: 'The report\'s id', examples: [DEMO_EXAMPLES.reportId] }),
}, { additionalProperties: false })
const LIST_MAX = 500

/** Reports from the public about a scheme (issue 15), and the owning organisation's view of them. */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const perHour = app.config.REPORTS_PER_HOUR
  app.post('/schemes/:id/reports', {
    config: { rateLimit: { max: perHour, timeWindow: 3600_000, keyGenerator: (req) => `report:${req.ip}`,
      errorResponseBuilder: (_req, ctx) => new TooManyRequestsError(ctx.ttl / 1000, 'reports') } },
    schema: {
      operationId: 'reportScheme', tags: ['freshness'],
      summary: 'Tell the organisation something is wrong with a scheme (no key)',
      description: 'Anyone may report, without a key: kind has_ended, wrong_time, wrong_place, wrong_contact or other, and an optional message ' +
        '(never shown publicly). Nothing about the sender is asked for or kept. The organisation gets its reports by e-mail once a day. Two ' +
        `has_ended reports from different senders within 30 days send the organisation a confirmation request at once. ${perHour} reports an hour ` +
        'per address.',
      params: SchemeId,
      body: Type.Ref('ReportWrite'),
      response: { 201: Type.Ref('ReportReceipt'), ...writeProblems(404, 410) },
    },
  }, async (request, reply) => {
    // the body has been checked against ReportWrite (a $ref, which the type provider cannot follow)
    const { kind, message } = request.body as ReportWrite
    const r = await createReport(app.db, request.params.id, kind, message ?? null, request.ip, app.clock())
    if (r.confirmation_requested) request.log.info({ scheme: request.params.id }, 'confirmation requested after reports of an ending')
    return reply.code(201).send({ id: r.id, kind: r.kind, created_at: r.created_at })
  })

  app.get('/organisations/:id/reports', {
    onRequest: requireRole('admin', 'publisher'),
    schema: {
      operationId: 'listOrganisationReports', tags: ['freshness'], security: secured,
      summary: 'Reports from the public about an organisation\'s schemes',
      description: `Open reports, newest first (with closed=true closed ones too), at most ${LIST_MAX}. The organisation's publisher or an admin.`,
      params: OrganisationId,
      querystring: Type.Object({ closed: Type.Optional(Type.Boolean({ default: false, description: 'true: closed reports too' })) },
        { additionalProperties: false }),
      response: { 200: Type.Ref('ReportList'), ...readProblems(403, 404) },
    },
  }, async (request) => {
    assertOwner(request, request.params.id, 'organisation')
    if (!(await organisationExists(app.db, request.params.id))) throw new NotFoundError(`No organisation ${request.params.id}.`)
    return { items: await listReports(app.db, request.params.id, request.query.closed ?? false, LIST_MAX) }
  })

  app.post('/organisations/:id/reports/:report_id/close', {
    onRequest: requireRole('admin', 'publisher'),
    schema: {
      operationId: 'closeOrganisationReport', tags: ['freshness'], security: secured,
      summary: 'Close a report',
      description: 'Marks the report dealt with; it leaves the open list. Closing a closed report changes nothing. The organisation\'s publisher or ' +
        'an admin.',
      params: ReportParams,
      response: { 200: Type.Ref('Report'), ...writeProblems(404) },
    },
  }, async (request) => {
    assertOwner(request, request.params.id, 'organisation')
    return closeReport(app.db, request.params.id, request.params.report_id, request.actor?.keyId ?? null, app.clock())
  })
}

export default reportRoutes
