import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import { ukDate } from '../domain/schedule.ts'
import { buildCalendar, type CalendarFeed } from '../formats/ical/calendar.ts'
import { windowFrom } from '../formats/ical/recurrence.ts'
import { defaultEtag } from '../http/etag.ts'
import { idParams, readProblems } from '../http/openapi.ts'
import { organisationCalendar, schemeCalendar } from '../repositories/calendars.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const SchemeId = idParams('scheme\'s', DEMO_EXAMPLES.schemeId)
const OrganisationId = idParams('organisation\'s', DEMO_EXAMPLES.organisationId)
const ok = (what: string) => ({ description: `${what} as an iCalendar feed`, content: { 'text/calendar': { schema: Type.Ref('Calendar') } } })

const WINDOW_TEXT = 'The occurrences from today (UK) to a year ahead; subscribers are asked to refresh every 12 hours. Its ETag changes with the text ' +
  '(If-None-Match: 304). See docs/calendars.md.'

/**
 * iCalendar feeds (RFC 5545) of a scheme's or an organisation's sessions, for calendar apps to
 * subscribe to. `/schemes/:id.ics` sits beside `/schemes/:id`: find-my-way takes `.ics` as the
 * end of the parameter, so each id answers both (test/routes/calendars.test.ts).
 */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // the body's hash as ETag, 304 on If-None-Match: the text depends on today as well as on the scheme
  app.addHook('onSend', defaultEtag)

  const send = (reply: FastifyReply, feed: CalendarFeed, filename: string) => {
    const text = buildCalendar(feed, windowFrom(ukDate(app.clock()))).toString()
    return reply.type('text/calendar; charset=utf-8')
      .header('content-disposition', `inline; filename="${filename}"`)
      .header('cache-control', 'no-cache')
      .send(text)
  }

  app.get('/schemes/:id.ics', {
    schema: {
      operationId: 'getSchemeCalendar', tags: ['schemes'],
      summary: 'A scheme\'s sessions as a calendar',
      description: 'One event per session, repeating as it does, without its except dates, the scheme\'s breaks and (when it skips them) the bank ' +
        'holidays of its venue\'s nation. A paused or ended scheme, one by arrangement or always open, or one with no sessions gives a calendar with ' +
        `no events. 410 once deleted. ${WINDOW_TEXT}`,
      params: SchemeId,
      response: { 200: ok('The scheme\'s sessions'), ...readProblems(404, 410) },
    },
  }, async (request, reply) => send(reply, await schemeCalendar(app.db, request.params.id), `scheme-${request.params.id}.ics`))

  app.get('/organisations/:id/schemes.ics', {
    schema: {
      operationId: 'getOrganisationCalendar', tags: ['organisations'],
      summary: 'An organisation\'s sessions as a calendar',
      description: `The sessions of every active scheme of the organisation, by scheme name, as GET /v1/schemes/{id}.ics shows each. ${WINDOW_TEXT}`,
      params: OrganisationId,
      response: { 200: ok('The organisation\'s sessions'), ...readProblems(404) },
    },
  }, async (request, reply) => send(reply, await organisationCalendar(app.db, request.params.id), `organisation-${request.params.id}.ics`))
}

export default calendarRoutes
