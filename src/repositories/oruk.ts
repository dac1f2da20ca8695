import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson, schemeJson, sessionJson, timestampJson, venueJson } from '../db/documents.ts'
import { schemeListed, schemePublished, sessionCurrent, sessionEndsBefore, sessionOnDays, sessionStartsAfter, ukToday } from '../db/rules.ts'
import { venuePlanarDistance, venueWithinRadius } from '../db/spatial.ts'
import type { TaxonomyVocabulary } from '../formats/oruk/taxonomies.ts'
import type { FullServiceInput } from '../formats/oruk/services.ts'
import { fullServiceInput, type ServiceForm, type ServiceRow } from '../formats/oruk/service-forms.ts'
import type { NativeOrganisation, NativeScheme, NativeVenue } from '../formats/oruk/types.ts'

/** ORUK list filters, already translated from ORUK's parameters to Signpost's terms. */
export interface OrukFilters {
  /** The request's clock: sessions must be current on its UK date. */
  now: Date
  search?: string
  term?: { vocabulary: TaxonomyVocabulary; code: string }
  taxonomy?: TaxonomyVocabulary
  /** An id that names no taxonomy or term: nothing matches. */
  nothing?: boolean
  minimumAge?: number
  maximumAge?: number
  /** HH:MM, UK local time */
  startTime?: string
  endTime?: string
  /** mon…sun */
  day?: string
  organisationId?: string
  /** RFC 3339: only services modified on or after it (serviceModifiedSince) */
  modifiedAfter?: string
}

export interface OrukPlace { lat: number; lon: number; proximityM?: number }

export interface Paged<T> { total: number; items: T[] }

// Identifiers never come from input: a vocabulary name picks one of these fixed columns.
// A referral's terms are what the scheme says (referral.methods, referral.accepted_from): the
// feed does not read self_referral into a referral source, as native search does.
const ARRAY_COLUMN: Partial<Record<TaxonomyVocabulary, string>> = { categories: 'categories', needs: 'needs', audience: 'audience', delivery: 'delivery',
  referral_methods: 'referral_methods', referral_from: 'referral_from' }

/** Published and listed: a scheme unconfirmed too long leaves the feed (docs/freshness.md). */
const published = sql`${schemePublished('s')} AND ${schemeListed('s')}`
/** Session `ss` is current on the request's UK date. */
const current = (now: Date) => sessionCurrent('ss', ukToday(now))

/** The conditions one session `ss` must meet: current, and ORUK's start_time, end_time and day together. */
function sessionConditions(f: OrukFilters): SQL {
  const c: SQL[] = [current(f.now)]
  if (f.startTime) c.push(sessionStartsAfter('ss', sql`${f.startTime}`))
  if (f.endTime) c.push(sessionEndsBefore('ss', sql`${f.endTime}`))
  if (f.day) c.push(sessionOnDays('ss', sql`ARRAY[${f.day}]::text[]`))
  return sql.join(c, sql` AND `)
}
const hasSessionFilter = (f: OrukFilters) => Boolean(f.startTime || f.endTime || f.day)

/**
 * Scheme-level conditions on `s`. With `venue`, accessibility may also be met by that venue
 * (`v`); without, by any venue of a current session.
 */
function schemeConditions(f: OrukFilters, venue: boolean): SQL {
  const c: SQL[] = [published]
  if (f.nothing) c.push(sql`false`)
  if (f.search) c.push(sql`s.search_text @@ websearch_to_tsquery('english', ${f.search})`)
  // `test` is a condition on a venue v's accessibility
  const venueAccess = (test: SQL) => venue
    ? test
    : sql`EXISTS (SELECT 1 FROM sessions ss JOIN venues v ON v.id = ss.venue_id WHERE ss.scheme_id = s.id AND v.deleted_at IS NULL AND ${current(f.now)} AND ${test})`
  if (f.term) {
    const { vocabulary, code } = f.term
    const arr = sql`ARRAY[${code}]::text[]`
    const col = ARRAY_COLUMN[vocabulary]
    if (col) c.push(sql`${sql.raw(`s.${col}`)} @> ${arr}`)
    else if (vocabulary === 'group_size') c.push(sql`s.group_size = ${code}`)
    else c.push(sql`(s.accessibility @> ${arr} OR ${venueAccess(sql`v.accessibility @> ${arr}`)})`)
  }
  if (f.taxonomy) {
    const col = ARRAY_COLUMN[f.taxonomy]
    if (col) c.push(sql`cardinality(${sql.raw(`s.${col}`)}) > 0`)
    else if (f.taxonomy === 'group_size') c.push(sql`s.group_size IS NOT NULL`)
    else c.push(sql`(cardinality(s.accessibility) > 0 OR ${venueAccess(sql`cardinality(v.accessibility) > 0`)})`)
  }
  // ORUK's words: a minimum age of at least N (no minimum is 0); a maximum age of at most N (no maximum never is).
  if (f.minimumAge != null) c.push(sql`coalesce(s.min_age, 0) >= ${f.minimumAge}`)
  if (f.maximumAge != null) c.push(sql`s.max_age <= ${f.maximumAge}`)
  if (!venue && hasSessionFilter(f)) c.push(sql`EXISTS (SELECT 1 FROM sessions ss WHERE ss.scheme_id = s.id AND ${sessionConditions(f)})`)
  if (f.organisationId) c.push(sql`s.organisation_id = ${f.organisationId}`)
  if (f.modifiedAfter) c.push(serviceModifiedSince(f.modifiedAfter))
  return sql.join(c, sql` AND `)
}

/**
 * When service `s` (of organisation `o`) last changed: its scheme, its organisation, or a venue
 * of one of its sessions (a deleted venue too: its leaving changes the service). ORUK's
 * last_modified, and what modified_after compares with.
 */
const serviceModifiedAt = sql`GREATEST(s.updated_at, o.updated_at,
  (SELECT max(vm.updated_at) FROM sessions ssm JOIN venues vm ON vm.id = ssm.venue_id WHERE ssm.scheme_id = s.id))`

/**
 * serviceModifiedAt >= t, as three range scans on the updated_at indexes (migrations/0020)
 * rather than GREATEST over every scheme. last_modified is written to the millisecond, so t is
 * rounded up to one: a service is returned exactly when its last_modified is on or after t.
 */
function serviceModifiedSince(t: string): SQL {
  const since = sql`(SELECT CASE WHEN date_trunc('milliseconds', x) = x THEN x ELSE date_trunc('milliseconds', x) + interval '1 millisecond' END
    FROM (SELECT ${t}::timestamptz AS x) t)`
  return sql`s.id IN (
    SELECT id FROM schemes WHERE updated_at >= ${since}
    UNION SELECT sm.id FROM organisations om JOIN schemes sm ON sm.organisation_id = om.id WHERE om.updated_at >= ${since}
    UNION SELECT ssm.scheme_id FROM venues vm JOIN sessions ssm ON ssm.venue_id = vm.id WHERE vm.updated_at >= ${since})`
}

/** The sessions, venues and area a fully nested service of `s` needs beyond its scheme and organisation. */
function fullServiceParts(now: Date): SQL {
  return sql`'sessions', coalesce((SELECT jsonb_agg(${sessionJson('ss')} || jsonb_build_object('position', ss.position) ORDER BY ss.position)
        FROM sessions ss WHERE ss.scheme_id = s.id AND ${current(now)}), '[]'::jsonb),
      'venues', coalesce((SELECT jsonb_agg(${venueJson('v')} ORDER BY lower(v.name) COLLATE "C", v.id) FROM venues v
        WHERE v.deleted_at IS NULL AND v.id IN (SELECT ss.venue_id FROM sessions ss WHERE ss.scheme_id = s.id AND ${current(now)})), '[]'::jsonb),
      'area_extent', CASE WHEN s.area_type = 'radius' THEN ST_AsGeoJSON(ST_Buffer(s.area_center, s.area_radius_m)::geometry, 6) END`
}

/** Service `s` of organisation `o` as the row that form's mapping (serviceInForm, src/formats/oruk/services.ts) reads. */
function serviceJson(form: ServiceForm, now: Date): SQL {
  const base = sql`'id', s.id, 'last_modified', ${timestampJson(serviceModifiedAt)}`
  if (form === 'minimal') return sql`jsonb_build_object(${base})`
  const parts = sql`${base}, 'scheme', ${schemeJson('s')}, 'organisation', ${organisationJson('o')}`
  return form === 'full' ? sql`jsonb_build_object(${parts}, ${fullServiceParts(now)})` : sql`jsonb_build_object(${parts})`
}

// ORUK pages are numbered, so these lists page with LIMIT/OFFSET over a total order
// (name byte-wise, then id) rather than with the native API's keyset cursors.
const byName = sql`lower(s.name) COLLATE "C"`

export async function listServices(db: Db, f: OrukFilters, form: ServiceForm, limit: number, offset: number): Promise<Paged<ServiceRow>> {
  const [row] = await db.reader.query(sql`
    WITH m AS MATERIALIZED (SELECT s.id, ${byName} AS k FROM schemes s WHERE ${schemeConditions(f, false)})
    SELECT (SELECT count(*) FROM m) AS total,
      coalesce((SELECT jsonb_agg(${serviceJson(form, f.now)} ORDER BY p.k, p.id)
        FROM (SELECT id, k FROM m ORDER BY k, id LIMIT ${limit} OFFSET ${offset}) p
        JOIN schemes s ON s.id = p.id JOIN organisations o ON o.id = s.organisation_id), '[]'::jsonb) AS items`)
  return { total: row.total, items: row.items }
}

/**
 * A batch of the services matching `f`, by id after `afterId`: the unpaginated stream
 * (format=ndjson) reads the whole list this way, through the primary key, a batch in memory
 * at a time. By id, not name: a service renamed while the stream runs is sent once.
 */
export async function servicesAfter(db: Db, f: OrukFilters, form: ServiceForm, afterId: string | undefined,
  limit: number): Promise<ServiceRow[]> {
  const rows = await db.reader.query(sql`
    SELECT ${serviceJson(form, f.now)} AS item FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE ${schemeConditions(f, false)}${afterId ? sql` AND s.id > ${afterId}` : sql``}
    ORDER BY s.id LIMIT ${limit}`)
  return rows.map((r) => r.item)
}

export async function listServiceAtLocations(db: Db, f: OrukFilters, place: OrukPlace | undefined, limit: number,
  offset: number): Promise<Paged<{ scheme: NativeScheme; organisation: NativeOrganisation; venue: NativeVenue; last_modified: string }>> {
  // Nearest first by British National Grid distance through the venues' GiST index, and
  // proximity tested on the ellipsoid, with native search's fragments (src/db/spatial.ts);
  // ties, and everything without a place, by name, scheme, venue.
  const distance = place ? venuePlanarDistance('v', place) : sql`0::float8`
  const within = place?.proximityM != null ? sql` AND ${venueWithinRadius('v', place, place.proximityM)}` : sql``
  const [row] = await db.reader.query(sql`
    WITH pairs AS (SELECT DISTINCT ss.scheme_id, ss.venue_id FROM sessions ss WHERE ss.venue_id IS NOT NULL AND ${sessionConditions(f)}),
    m AS MATERIALIZED (
      SELECT s.id AS scheme_id, v.id AS venue_id, ${byName} AS k, ${distance} AS d
      FROM pairs JOIN schemes s ON s.id = pairs.scheme_id JOIN venues v ON v.id = pairs.venue_id
      WHERE v.deleted_at IS NULL AND ${schemeConditions(f, true)}${within})
    SELECT (SELECT count(*) FROM m) AS total,
      coalesce((SELECT jsonb_agg(jsonb_build_object('scheme', ${schemeJson('s')}, 'organisation', ${organisationJson('o')}, 'venue', ${venueJson('v')},
            'last_modified', ${timestampJson(serviceModifiedAt)})
          ORDER BY p.d, p.k, p.scheme_id, p.venue_id)
        FROM (SELECT * FROM m ORDER BY d, k, scheme_id, venue_id LIMIT ${limit} OFFSET ${offset}) p
        JOIN schemes s ON s.id = p.scheme_id JOIN organisations o ON o.id = s.organisation_id JOIN venues v ON v.id = p.venue_id), '[]'::jsonb) AS items`)
  return { total: row.total, items: row.items }
}

/** Everything a fully nested service needs, or undefined when the scheme is not published. */
export async function getService(db: Db, id: string, now: Date): Promise<FullServiceInput | undefined> {
  const rows = await db.reader.query(sql`
    SELECT ${serviceJson('full', now)} AS item FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.id = ${id} AND ${published}`)
  return rows.length ? fullServiceInput(rows[0].item) : undefined
}

/** The scheme and venue of a service_at_location id, when it is published. */
export async function findServiceAtLocation(db: Db, id: string, now: Date): Promise<{ schemeId: string; venueId: string } | undefined> {
  const rows = await db.reader.query(sql`
    SELECT ss.scheme_id, ss.venue_id FROM sessions ss
    WHERE oruk_uuid('sal:' || ss.scheme_id::text || ':' || ss.venue_id::text) = ${id} AND ss.venue_id IS NOT NULL AND ${current(now)}
    LIMIT 1`)
  return rows[0] ? { schemeId: rows[0].scheme_id, venueId: rows[0].venue_id } : undefined
}
