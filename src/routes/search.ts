import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { UnprocessableError, ValidationError } from '../errors.ts'
import { defaultEtag } from '../http/etag.ts'
import { resolvePostcode } from '../geo/postcodes.ts'
import { validationItems } from '../plugins/errors.ts'
import { cursorSecret, searchSchemes } from '../repositories/search.ts'
import { decodeCursor, encodeCursor, type CursorPosition } from '../domain/cursor.ts'
import { nextOccurrences, ukDate } from '../domain/schedule.ts'
import { canonicalSearch, parseSearchParams } from '../domain/search-params.ts'
import { problems } from '../schemas/common.ts'
import { SearchQuery, type SearchPage } from '../schemas/search.ts'

export interface SearchRouteOptions {
  /** The clock (tests pin it); "today" is its UK date. */
  now?: () => Date
}

type Precision = 'postcode' | 'sector' | 'district' | 'coordinates'

export default async function searchRoutes(app: FastifyInstance, opts: SearchRouteOptions) {
  const clock = opts.now ?? (() => new Date())
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
        'at a venue within `radius_m` of the place whose accessibility, with the scheme\'s, includes every `accessibility` code; and the scheme meets every scheme filter. ' +
        'Online, telephone and home-visit schemes match when their service area covers the place (`delivery` defaults to in_person with a place, all without). ' +
        'In-person matches come first, nearest first (ties by id), then remote ones by name; without a place, all by name. ' +
        'Page with `next_cursor`. The place is never stored or logged. Example: `postcode=SE15 4&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness`.',
      querystring: SearchQuery,
      response: { 200: Type.Ref('SearchPage'), ...problems(400, 422, 503) },
    },
  }, async (request): Promise<SearchPage> => {
    const now = clock()
    const schemaErrors = request.validationError
      ? validationItems((request.validationError as any).validation ?? [], 'querystring')
      : []
    const parsed = parseSearchParams(request.query as Record<string, unknown>, ukDate(now), schemaErrors)
    if (!parsed.ok) throw new ValidationError(parsed.errors)
    const filters = parsed.filters

    let origin: { lat: number; lon: number; precision: Precision } | null = null
    if (filters.place && 'postcode' in filters.place) {
      const found = await resolvePostcode(filters.place.postcode)
      if (!found.ok) {
        const item = [{ parameter: 'postcode', message: found.message }]
        if (found.reason === 'malformed') throw new ValidationError(item)
        throw new UnprocessableError(found.message, item)
      }
      origin = { lat: found.lat, lon: found.lon, precision: found.precision }
    } else if (filters.place) {
      origin = { lat: filters.place.lat, lon: filters.place.lon, precision: 'coordinates' }
    }
    const point = origin && { lat: origin.lat, lon: origin.lon }

    const db = app.db.reader
    const secret = await cursorSecret(db)
    const search = canonicalSearch(filters, point)
    let after: CursorPosition | null = null
    if (filters.cursor) {
      after = decodeCursor(filters.cursor, secret, search)
      if (!after) throw new ValidationError([{ parameter: 'cursor', message: 'is not a cursor of this search: pass next_cursor unchanged, with the same other parameters, or start again without it' }])
    }

    const rows = await searchSchemes(db, { filters, origin: point, after, today: ukDate(now), now })
    const page = rows.slice(0, filters.limit)
    const last = page[page.length - 1]
    let nextCursor: string | null = null
    if (rows.length > filters.limit && last) {
      const position: CursorPosition = last.group === 0
        ? { group: 0, distance: Number(last.distance_key), id: last.doc.id }
        : { group: 1, name: String(last.name_key), id: last.doc.id }
      nextCursor = encodeCursor(position, secret, search)
    }
    const items = page.map((r) => ({ ...r.doc, next_occurrences: nextOccurrences(r.doc.matching_sessions, now) }))
    const body: SearchPage = { items: items as SearchPage['items'], next_cursor: nextCursor }
    if (origin) body.origin = origin
    return body
  })
}
