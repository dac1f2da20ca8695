import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { defaultEtag } from '../http/etag.ts'
import { validationItems } from '../plugins/errors.ts'
import { searchPageJson } from '../search/page.ts'
import { planSearch } from '../search/plan.ts'
import { problems } from '../schemas/common.ts'
import { SearchQuery } from '../schemas/search.ts'

export interface SearchRouteOptions {
  /** The clock (tests pin it); "today" is its UK date. */
  now?: () => Date
}

const searchRoutes: FastifyPluginAsyncTypebox<SearchRouteOptions> = async (app, opts) => {
  const clock = opts.now ?? app.clock
  // every GET answer carries an ETag (SPEC §4): here a hash of the page
  app.addHook('onSend', defaultEtag)

  app.get('/schemes', {
    // Ajv's findings are merged with the checks it cannot make (code lists, lat with lon,
    // the date window) so that one 400 names every bad parameter.
    attachValidation: true,
    schema: {
      operationId: 'searchSchemes',
      tags: ['search'],
      summary: 'Search schemes near a place, by time, access needs and more',
      description: 'A scheme matches when one of its current sessions satisfies every session filter (days, period, starts_after, ends_before, date) ' +
        'at a venue within `radius_m` of the place whose accessibility, with the scheme\'s, includes every `accessibility` code; and the scheme meets ' +
          'every scheme filter. ' +
        'Online, telephone and home-visit schemes match when their service area covers the place (`delivery` defaults to in_person with a place, all ' +
          'without). ' +
        'In-person matches come first, nearest first (ties by id), then remote ones by name; without a place, all by name. ' +
        'Page with `next_cursor`. A first page with a place and no items carries `suggestions`: the nearest matches beyond the radius, and how many ' +
          'schemes each filter left out alone would let in. The place is never stored or logged. Example: `postcode=SE15 ' +
          '4&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness`.',
      querystring: SearchQuery,
      response: { 200: Type.Ref('SearchPage'), ...problems(400, 422, 503) },
    },
  }, async (request, reply): Promise<string> => {
    const schemaErrors = request.validationError
      ? validationItems((request.validationError as any).validation ?? [], 'querystring')
      : []
    const db = app.db.reader
    const plan = await planSearch(db, request.query, clock(), schemaErrors)
    if (!plan.ok) throw plan.error
    // already JSON (searchPageJson): sent as it is, not serialised again
    reply.type('application/json; charset=utf-8')
    const page = await searchPageJson(db, plan, app.config.SEARCH_SUGGESTIONS)
    // demand (src/insights/recorder.ts): a first page only, counted in memory, written later
    if (!plan.request.after) app.demand?.record({ filters: plan.request.filters, today: plan.request.today, found: !page.startsWith('{"items":[]') })
    return page
  })
}

export default searchRoutes
