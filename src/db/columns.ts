import { sql, type SQL } from 'drizzle-orm'
import { SCHEME_DEFAULTS as D } from '../domain/scheme-defaults.ts'
import { lonLatGeography } from './spatial.ts'

/**
 * A scheme's and a session's columns from their API document (a jsonb expression), the
 * inverse of documents.ts. Every writer — the API, the importer, the seeders — writes through
 * these, with the defaults of an absent field from one table (src/domain/scheme-defaults.ts).
 */

/** A constant of the defaults table as an SQL string literal (never input). */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`

/** A text[] from a JSON array at `path`, or from `fallback` when absent. */
export const textArrayAt = (path: SQL, fallback: string[] = []) => sql`ARRAY(SELECT jsonb_array_elements_text(coalesce(${path}, ${sql.raw(literal(JSON.stringify(fallback)))}::jsonb)))`

/**
 * The capacity columns from capacity document `c` (a jsonb expression; null or absent: no
 * capacity). `stamp` is capacity_updated_at when there is one: the server's, never the body's.
 */
export function capacityColumns(c: SQL, stamp: SQL): Array<[string, SQL]> {
  return [
    ['capacity_status', sql`(${c} ->> 'status')`],
    ['capacity_places', sql`(${c} ->> 'places')::integer`],
    ['capacity_waiting_weeks', sql`(${c} ->> 'waiting_weeks')::smallint`],
    ['capacity_updated_at', sql`CASE WHEN ${c} ->> 'status' IS NOT NULL THEN ${stamp} END`],
  ]
}

/**
 * When the capacity in `c` was set: now, unless `stored` (the alias of the row an UPDATE
 * replaces) already holds the same figures, whose stamp then stays, so that a PATCH of the
 * description does not make an old capacity look fresh.
 */
function capacityStamp(c: SQL, stored?: string): SQL {
  if (!stored) return sql`now()`
  const was = (n: string) => sql.raw(`${stored}.${n}`)
  return sql`CASE WHEN (${c} ->> 'status', (${c} ->> 'places')::integer, (${c} ->> 'waiting_weeks')::smallint)
    IS NOT DISTINCT FROM (${was('capacity_status')}, ${was('capacity_places')}, ${was('capacity_waiting_weeks')})
    THEN ${was('capacity_updated_at')} ELSE now() END`
}

/**
 * The scheme columns from document `d`, as [column, expression]. `stored`: the alias of the
 * row an UPDATE replaces (its capacity stamp is kept when the capacity is unchanged).
 */
export function schemeColumns(d: SQL, stored?: string): Array<[string, SQL]> {
  const at = (path: string) => sql`(${d} #>> ${`{${path}}`}::text[])`
  const area = sql`(${d} -> 'service_area')`
  const type = sql`(${area} ->> 'type')`
  return [
    ['name', at('name')],
    ['description', sql`coalesce(${at('description')}, ${sql.raw(literal(D.description))})`],
    ['categories', textArrayAt(sql`${d} -> 'categories'`, D.categories)],
    ['needs', textArrayAt(sql`${d} -> 'needs'`, D.needs)],
    ['audience', textArrayAt(sql`${d} -> 'audience'`, D.audience)],
    ['delivery', textArrayAt(sql`${d} -> 'delivery'`, D.delivery)],
    ['cost_free', sql`coalesce((${at('cost,free')})::boolean, ${sql.raw(String(D.cost.free))})`],
    ['cost_amount_pence', sql`(${at('cost,amount_pence')})::integer`],
    ['cost_per', at('cost,per')],
    ['cost_concessions', at('cost,concessions')],
    ['cost_description', at('cost,description')],
    ['min_age', sql`(${at('min_age')})::smallint`],
    ['max_age', sql`(${at('max_age')})::smallint`],
    ['self_referral', sql`coalesce((${at('self_referral')})::boolean, ${sql.raw(String(D.self_referral))})`],
    ['accepting_referrals', sql`coalesce((${at('accepting_referrals')})::boolean, ${sql.raw(String(D.accepting_referrals))})`],
    ['referral_methods', textArrayAt(sql`${d} #> '{referral,methods}'`)],
    ['referral_url', at('referral,url')],
    ['referral_email', at('referral,email')],
    ['referral_phone', at('referral,phone')],
    ['referral_instructions', at('referral,instructions')],
    ['referral_from', textArrayAt(sql`${d} #> '{referral,accepted_from}'`)],
    ...capacityColumns(sql`(${d} -> 'capacity')`, capacityStamp(sql`(${d} -> 'capacity')`, stored)),
    ['group_size', at('group_size')],
    ['languages', textArrayAt(sql`${d} -> 'languages'`, D.languages)],
    ['contact_phone', at('contact,phone')],
    ['contact_email', at('contact,email')],
    ['contact_website', at('contact,website')],
    ['contact_text', at('contact,text')],
    ['accessibility', textArrayAt(sql`${d} -> 'accessibility'`, D.accessibility)],
    ['area_type', type],
    ['area_doc', area],
    ['area_center',
      sql`CASE WHEN ${type} = 'radius' THEN ${lonLatGeography(sql`(${area} #>> '{center,lon}')::float8`, sql`(${area} #>> '{center,lat}')::float8`)} END`],
    ['area_radius_m', sql`CASE WHEN ${type} = 'radius' THEN (${area} ->> 'radius_m')::integer END`],
    ['area_shape', sql`CASE WHEN ${type} = 'polygon' THEN ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${area} ->> 'geometry'), 4326))::geography END`],
    ['always_open', sql`coalesce((${at('always_open')})::boolean, ${sql.raw(String(D.always_open))})`],
    ['by_arrangement', sql`coalesce((${at('by_arrangement')})::boolean, ${sql.raw(String(D.by_arrangement))})`],
    ['status', sql`coalesce(${at('status')}, ${sql.raw(literal(D.status))})`],
    ...breakColumns(sql`(${d} -> 'breaks')`),
  ]
}

/**
 * The breaks as written (NULL when none) and as one datemultirange of their days, which
 * sessionRunsOn tests (src/db/rules.ts); range_agg of no break is NULL.
 */
export function breakColumns(breaks: SQL): Array<[string, SQL]> {
  const list = sql`(CASE WHEN jsonb_typeof(${breaks}) = 'array' THEN ${breaks} ELSE '[]'::jsonb END)`
  return [
    ['breaks', sql`CASE WHEN jsonb_array_length(${list}) > 0 THEN ${list} END`],
    ['break_days', sql`(SELECT range_agg(daterange((b ->> 'from')::date, (b ->> 'to')::date, '[]')) FROM jsonb_array_elements(${list}) AS b)`],
  ]
}

/** The names of `cols`, for an INSERT's column list. */
export const names = (cols: Array<[string, SQL]>) => sql.raw(cols.map(([c]) => c).join(', '))
/** The expressions of `cols`, for an INSERT's SELECT list. */
export const values = (cols: Array<[string, SQL]>) => sql.join(cols.map(([, e]) => e), sql`, `)
/** `column = expression, …`, for an UPDATE. */
export const assignments = (cols: Array<[string, SQL]>) => sql.join(cols.map(([c, e]) => sql`${sql.raw(c)} = ${e}`), sql`, `)

/**
 * INSERT … SELECT of sessions from `from`, a FROM clause that yields, per session, its
 * scheme id `sid` and its document `e.s`; its position is `position` (by default from a
 * 1-based `e.ord`).
 */
export function insertSessions(from: SQL, sid: SQL, position = sql`(e.ord - 1)::smallint`): SQL {
  const s = sql`e.s`
  return sql`
    INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, week_of_month, date, starts, ends, valid_from, valid_to, except_dates,
      except_bank_holidays, notes)
    SELECT ${sid}, ${position}, (${s} ->> 'venue_id')::uuid, ${s} ->> 'frequency',
      ${textArrayAt(sql`${s} -> 'days'`)}, (${s} ->> 'week_of_month')::smallint, (${s} ->> 'date')::date,
      (${s} ->> 'starts')::time, (${s} ->> 'ends')::time, (${s} ->> 'valid_from')::date, (${s} ->> 'valid_to')::date,
      ${textArrayAt(sql`${s} -> 'except_dates'`)}::date[], coalesce((${s} ->> 'except_bank_holidays')::boolean, false), ${s} ->> 'notes'
    ${from}`
}
