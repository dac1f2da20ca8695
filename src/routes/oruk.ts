import type { FastifyRequest } from 'fastify'
import { baseUrl } from '../http/base-url.ts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static, type TProperties } from 'typebox'
import { problems } from '../schemas/common.ts'
import { OrukPageQuery, OrukServiceAtLocationQuery, OrukServiceQuery } from '../schemas/oruk.ts'
import { sendProblem } from '../plugins/errors.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { placeOfPostcode } from '../geo/postcodes.ts'
import * as repo from '../repositories/oruk.ts'
import type { OrukFilters, OrukPlace } from '../repositories/oruk.ts'
import { ALL_TAXONOMIES, ALL_TERMS, findTaxonomy, findTerm } from '../formats/oruk/taxonomies.ts'
import { dayFromHsds } from '../formats/oruk/schedules.ts'
import { fullSal, fullService, salSummary, serviceSummary } from '../formats/oruk/services.ts'
import { loadNations } from '../geo/nations.ts'
import { page, pageOfList, pagingOf } from '../formats/oruk/page.ts'
import { idParams } from '../http/openapi.ts'
import { DEMO_ORUK_EXAMPLES } from '../seed/demo-examples.ts'

const TAGS = ['oruk']
const query = <P extends TProperties>(props: P) => Type.Object(props, { additionalProperties: false })
const PageQuery = query(OrukPageQuery)
const ServiceQuery = query(OrukServiceQuery)
const SalQuery = query(OrukServiceAtLocationQuery)

/** ORUK parameters → repository filters. An id that names no taxonomy or term matches nothing. */
function filtersOf(q: Static<typeof ServiceQuery>, now: Date): OrukFilters {
  const f: OrukFilters = { now }
  if (q.search?.trim()) f.search = q.search
  if (q.taxonomy_term_id) {
    f.term = findTerm(q.taxonomy_term_id)
    if (!f.term) f.nothing = true
  }
  if (q.taxonomy_id) {
    f.taxonomy = findTaxonomy(q.taxonomy_id)
    if (!f.taxonomy) f.nothing = true
  }
  if (q.minimum_age != null) f.minimumAge = q.minimum_age
  if (q.maximum_age != null) f.maximumAge = q.maximum_age
  if (q.start_time) f.startTime = q.start_time.slice(0, 5)
  if (q.end_time) f.endTime = q.end_time.slice(0, 5)
  if (q.day) f.day = dayFromHsds(q.day)
  return f
}

/** postcode (+ proximity) → the place; a patient's postcode is neither stored nor logged. */
async function placeOf(q: Static<typeof SalQuery>): Promise<OrukPlace | undefined> {
  if (q.postcode === undefined) {
    if (q.proximity !== undefined) throw new ValidationError([{ parameter: 'proximity', message: 'needs postcode' }])
    return undefined
  }
  const r = await placeOfPostcode(q.postcode)
  if (!r.ok) throw r.error
  return { lat: r.lat, lon: r.lon, proximityM: q.proximity }
}

const listDescription = (what: string) => `A page of ${what} in the Open Referral UK 3.0 page envelope (total_items, total_pages, page_number, size, first_page, last_page, empty, contents). ` +
  'Only active, undeleted schemes are published. Pages are numbered from 1; a page past the last is empty.'
const filterDescription = ' Filters (all must hold): search (English full-text), taxonomy_term_id, taxonomy_id, minimum_age (a minimum age of at least N), ' +
  'maximum_age (a maximum age of at most N), and start_time, end_time, day (MO…SU), which one current session must meet together.'

/** The Open Referral UK 3.0 feed (SPEC 5). Open to every origin: Access-Control-Allow-Origin: * on every response. */
const orukRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // onSend runs for errors and 404s too, and after any app-wide CORS hook.
  app.addHook('onSend', async (_request, reply) => { reply.header('access-control-allow-origin', '*') })
  app.setNotFoundHandler((request, reply) => {
    reply.header('access-control-allow-origin', '*')
    return sendProblem(reply, request, 404,
      { type: '/problems/not-found', title: 'Not found', detail: `No route ${request.method} ${request.url.split('?')[0]}.` })
  })

  app.get('/', {
    schema: {
      operationId: 'getOrukApiInfo', tags: TAGS, summary: 'ORUK feed information',
      description: 'The version of Open Referral UK this feed follows (HSDS-UK-3.0), the profile\'s home page and this API\'s OpenAPI document.',
      response: { 200: Type.Ref('OrukApiInfo'), ...problems(500) },
    },
  }, async (request) => ({ version: 'HSDS-UK-3.0' as const, profile: 'https://openreferraluk.org/', openapi_url: `${baseUrl(request)}/openapi.json` }))

  app.get('/services', {
    schema: {
      operationId: 'listOrukServices', tags: TAGS, summary: 'ORUK services',
      description: listDescription('services (schemes) with their one-to-one fields and organisation, by name') + filterDescription,
      querystring: ServiceQuery,
      response: { 200: Type.Ref('OrukServicePage'), ...problems(400, 503) },
    },
  }, async (request) => {
    const q = request.query
    const p = pagingOf(q)
    const r = await repo.listServices(app.db, filtersOf(q, app.clock()), p.perPage, p.offset)
    return page(r.items.map((i) => serviceSummary(i.scheme, i.organisation)), r.total, p)
  })

  app.get('/services/:id', {
    schema: {
      operationId: 'getOrukService', tags: TAGS, summary: 'A fully nested ORUK service',
      description: 'A scheme as a fully nested ORUK service: organisation, schedules (one per current session), service areas, locations with ' +
        'addresses and accessibility, languages, cost options (GBP) and attributes linking it to the Signpost taxonomies. 404 when the scheme is not ' +
          'published (paused, ended, deleted or unknown).',
      params: idParams('service (scheme)', DEMO_ORUK_EXAMPLES.serviceId),
      response: { 200: Type.Ref('OrukService'), ...problems(400, 404, 503) },
    },
  }, async (request) => {
    const { id } = request.params
    const data = await repo.getService(app.db, id, app.clock())
    if (!data) throw new NotFoundError(`No published service ${id}.`)
    return fullService(data, { nationOf: await loadNations() })
  })

  app.get('/service_at_locations', {
    schema: {
      operationId: 'listOrukServiceAtLocations', tags: TAGS, summary: 'ORUK services at locations',
      description: listDescription('service_at_locations (each scheme at each venue where a current session meets), by name, or nearest first with ' +
        'postcode') + filterDescription +
        ' postcode (a GB postcode, sector or district) orders the results nearest first; proximity (metres, with postcode) keeps only those within ' +
          'it. An unknown postcode is a 422.',
      querystring: SalQuery,
      response: { 200: Type.Ref('OrukServiceAtLocationPage'), ...problems(400, 422, 503) },
    },
  }, async (request) => {
    const q = request.query
    const place = await placeOf(q)
    const p = pagingOf(q)
    const r = await repo.listServiceAtLocations(app.db, filtersOf(q, app.clock()), place, p.perPage, p.offset)
    return page(r.items.map((i) => salSummary(i.scheme, i.organisation, i.venue)), r.total, p)
  })

  app.get('/service_at_locations/:id', {
    schema: {
      operationId: 'getOrukServiceAtLocation', tags: TAGS, summary: 'A fully nested ORUK service_at_location',
      description: 'A scheme at one venue: the location (address, accessibility) and the service with the schedules that meet there. ' +
        '(ORUK\'s OpenAPI file points this response at the service schema, an upstream slip: a service_at_location is returned.)',
      params: idParams('service_at_location', DEMO_ORUK_EXAMPLES.serviceAtLocationId),
      response: { 200: Type.Ref('OrukServiceAtLocation'), ...problems(400, 404, 503) },
    },
  }, async (request) => {
    const { id } = request.params
    const now = app.clock()
    const found = await repo.findServiceAtLocation(app.db, id, now)
    const data = found && await repo.getService(app.db, found.schemeId, now)
    const venue = data?.venues.find((v) => v.id === found!.venueId)
    if (!data || !venue) throw new NotFoundError(`No published service_at_location ${id}.`)
    return fullSal(data, venue, { nationOf: await loadNations() })
  })

  app.get('/taxonomies', {
    schema: {
      operationId: 'listOrukTaxonomies', tags: TAGS, summary: 'ORUK taxonomies',
      description: 'Signpost\'s vocabularies (categories, needs, audience, accessibility, delivery, group size) as ORUK taxonomies, in the ORUK page envelope.',
      querystring: PageQuery,
      response: { 200: Type.Ref('OrukTaxonomyPage'), ...problems(400) },
    },
  }, async (request) => pageOfList(ALL_TAXONOMIES, pagingOf(request.query)))

  app.get('/taxonomies/:id', {
    schema: {
      operationId: 'getOrukTaxonomy', tags: TAGS, summary: 'An ORUK taxonomy with its terms',
      description: 'One Signpost vocabulary as an ORUK taxonomy, with all its terms.',
      params: idParams('taxonomy', DEMO_ORUK_EXAMPLES.taxonomyId),
      response: { 200: Type.Ref('OrukTaxonomy'), ...problems(400, 404) },
    },
  }, async (request) => {
    const { id } = request.params
    const t = ALL_TAXONOMIES.find((x) => x.id === id.toLowerCase())
    if (!t) throw new NotFoundError(`No taxonomy ${id}.`)
    return { ...t, taxonomy_terms: ALL_TERMS.filter((x) => x.taxonomy_id === t.id) }
  })

  app.get('/taxonomy_terms', {
    schema: {
      operationId: 'listOrukTaxonomyTerms', tags: TAGS, summary: 'ORUK taxonomy terms',
      description: 'Every code of the published Signpost vocabularies as an ORUK taxonomy term (term is the code, name its label), grouped by ' +
        'taxonomy, in the ORUK page envelope.',
      querystring: PageQuery,
      response: { 200: Type.Ref('OrukTaxonomyTermPage'), ...problems(400) },
    },
  }, async (request) => pageOfList(ALL_TERMS, pagingOf(request.query)))

  app.get('/taxonomy_terms/:id', {
    schema: {
      operationId: 'getOrukTaxonomyTerm', tags: TAGS, summary: 'An ORUK taxonomy term',
      description: 'One Signpost vocabulary code as an ORUK taxonomy term.',
      params: idParams('taxonomy term', DEMO_ORUK_EXAMPLES.termId),
      response: { 200: Type.Ref('OrukTaxonomyTerm'), ...problems(400, 404) },
    },
  }, async (request) => {
    const { id } = request.params
    const t = ALL_TERMS.find((x) => x.id === id.toLowerCase())
    if (!t) throw new NotFoundError(`No taxonomy term ${id}.`)
    return t
  })
}

export default orukRoutes
