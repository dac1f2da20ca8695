import { sql, type SQL } from 'drizzle-orm'
import { schemeJson, sessionJson } from '../db/documents.ts'
import {
  col, isPeriod, schemeListed, schemePublished, sessionCurrent, sessionEndsBefore, sessionHolidayRegion, sessionInPeriod, sessionOnDays, sessionRunsOn,
  sessionStartsAfter,
} from '../db/rules.ts'
import { REMOTE_DELIVERY } from '../domain/vocabularies.ts'
import { asksSessionFilter, type SearchFilters } from './params.ts'

/** The SQL fragments of SPEC §3's filters and items, shared by both search statements; the rules they apply live in src/db/rules.ts. */

const textArray = (xs: string[]) => sql`${sql.param(xs)}::text[]`
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`true`)

/** Current and every session filter, on session `ss`. */
export function sessionMatches(ss: string, f: SearchFilters, today: string): SQL {
  const parts = [sessionCurrent(ss, sql`${today}::date`)]
  if (f.days) parts.push(sessionOnDays(ss, textArray(f.days)))
  if (f.periods) parts.push(sql`(${sql.join(f.periods.filter(isPeriod).map((p) => sessionInPeriod(ss, p)), sql` OR `)})`)
  if (f.startsAfter) parts.push(sessionStartsAfter(ss, sql`${f.startsAfter}`))
  if (f.endsBefore) parts.push(sessionEndsBefore(ss, sql`${f.endsBefore}`))
  if (f.date) parts.push(sessionRunsOn(ss, sql`${f.date}::date`))
  return and(parts)
}

/**
 * audience: scheme `s` is suitable for one of `audience`: it lists one of them, or (unless
 * `only`) it lists none, i.e. it is open to everyone.
 */
export function suitableFor(s: string, audience: string[], only: boolean): SQL {
  const lists = sql`${col(s, 'audience')} && ${textArray(audience)}`
  return only ? lists : sql`(${lists} OR cardinality(${col(s, 'audience')}) = 0)`
}

/** Published, listed (unless include_unconfirmed), and every scheme filter, on scheme `s`. */
export function schemeMatches(s: string, f: SearchFilters, now: Date): SQL {
  const c = (n: string) => col(s, n)
  const parts = [schemePublished(s)]
  if (!f.includeUnconfirmed) parts.push(schemeListed(s))
  if (f.categories) parts.push(sql`${c('categories')} && ${textArray(f.categories)}`)
  if (f.needs) parts.push(sql`${c('needs')} && ${textArray(f.needs)}`)
  if (f.audience) parts.push(suitableFor(s, f.audience, f.audienceOnly))
  if (f.groupSizes) parts.push(sql`${c('group_size')} = ANY(${textArray(f.groupSizes)})`)
  if (f.languages) parts.push(sql`${c('languages')} && ${textArray(f.languages)}`)
  if (f.free !== null) parts.push(f.free ? sql`${c('cost_free')}` : sql`NOT ${c('cost_free')}`)
  if (f.maxCostPence !== null) parts.push(sql`(${c('cost_free')} OR ${c('cost_amount_pence')} <= ${f.maxCostPence}::int)`)
  if (f.age !== null) {
    parts.push(sql`(${c('min_age')} IS NULL OR ${c('min_age')} <= ${f.age}::int) AND (${c('max_age')} IS NULL OR ${c('max_age')} >= ${f.age}::int)`)
  }
  if (f.selfReferral !== null) parts.push(sql`${c('self_referral')} = ${f.selfReferral}::boolean`)
  if (f.acceptingReferrals !== null) parts.push(sql`${c('accepting_referrals')} = ${f.acceptingReferrals}::boolean`)
  if (f.referralFrom) parts.push(referableFrom(s, f.referralFrom))
  if (f.hasPlaces !== null) parts.push(hasPlaces(s, f.hasPlaces))
  if (f.q) parts.push(sql`${c('search_text')} @@ websearch_to_tsquery('english', ${f.q}::text)`)
  if (f.organisationId) parts.push(sql`${c('organisation_id')} = ${f.organisationId}::uuid`)
  if (f.verifiedWithinDays !== null) {
    parts.push(sql`${c('last_verified_at')} >= ${now.toISOString()}::timestamptz - make_interval(days => ${f.verifiedWithinDays}::int)`)
  }
  return and(parts)
}

/**
 * referral_from (issue 13): scheme `s` takes referrals from one of `from`. A scheme that says
 * who may refer (referral.accepted_from) is taken at its word; one that says nothing takes
 * only self-referrals, and only when self_referral is true: it has not said that a GP, say,
 * may refer. (A referral's accepted_from lists self exactly when self_referral is true:
 * src/domain/scheme-rules.ts.)
 */
export function referableFrom(s: string, from: string[]): SQL {
  const c = (n: string) => col(s, n)
  const listed = sql`${c('referral_from')} && ${textArray(from)}`
  if (!from.includes('self')) return listed
  return sql`(${listed} OR (cardinality(${c('referral_methods')}) = 0 AND ${c('self_referral')}))`
}

/**
 * has_places (issue 13): true, places available; false, a waiting list or full. A scheme that
 * has not said (no capacity) is unknown and matches neither.
 */
export function hasPlaces(s: string, yes: boolean): SQL {
  const status = col(s, 'capacity_status')
  return yes ? sql`${status} = 'places_available'` : sql`${status} IN ('waiting_list', 'full')`
}

/** accessibility: all asked codes among the venue's and the scheme's (in person). */
export function inPersonAccess(v: string, s: string, f: SearchFilters): SQL {
  return f.accessibility ? sql`(${col(v, 'accessibility')} || ${col(s, 'accessibility')}) @> ${textArray(f.accessibility)}` : sql`true`
}

/**
 * May venue `v` have an in-person match? A test on its search bits (migrations/0008), which
 * hold every code its live schemes and sessions could match there: a superset, checked inside
 * the GiST index on `pt` before any row is read; the exact filters decide after it. Every
 * asked code list of categories, days and periods needs one bit of its own; accessibility
 * (all of), free or paid, and 'live' need all theirs. Each mask is computed once (an InitPlan).
 */
export function venueMayMatch(v: string, f: SearchFilters): SQL {
  const bits = col(v, 'search_bits')
  const mask = (kind: string, xs: string[]) => sql`search_code_bits(${kind}, ${textArray(xs)})`
  const all = [mask('live', ['live'])]
  if (f.accessibility) all.push(mask('accessibility', f.accessibility))
  if (f.free !== null) all.push(mask('cost', [f.free ? 'free' : 'paid']))
  const parts = [sql`${bits} & (SELECT ${sql.join(all, sql` | `)}) = (SELECT ${sql.join(all, sql` | `)})`]
  const anyOf: Array<[string, string[] | null]> = [['categories', f.categories], ['days', f.days], ['period', f.periods]]
  for (const [kind, xs] of anyOf) if (xs) parts.push(sql`${bits} & (SELECT ${mask(kind, xs)}) <> 0`)
  return sql`(${and(parts)})`
}

export const remoteModes = (f: SearchFilters) => f.delivery.filter((d) => (REMOTE_DELIVERY as readonly string[]).includes(d))
export const wantsInPerson = (f: SearchFilters) => f.delivery.includes('in_person')

/** Scheme `s` offers an asked remote mode and its own accessibility meets the filter (coverage apart). */
export function remoteEligible(s: string, f: SearchFilters): SQL {
  const modes = remoteModes(f)
  if (modes.length === 0) return sql`false`
  const parts = [sql`${col(s, 'delivery')} && ${textArray(modes)}`]
  if (f.accessibility) parts.push(sql`${col(s, 'accessibility')} @> ${textArray(f.accessibility)}`)
  return and(parts)
}

/**
 * Scheme `s`'s remote modes need no sessions to meet the session filters: it is always open
 * (a 24-hour line) or its times are agreed with each person (by arrangement).
 */
export const openWithoutSessions = (s: string) => sql`(${col(s, 'always_open')} OR ${col(s, 'by_arrangement')})`

/**
 * Scheme `s` is always open or by arrangement, or a current remote session satisfies the
 * session filters, or there is none and none was asked. One scalar subquery per scheme
 * (bool_or is null without remote sessions): an EXISTS under OR is planned as a hashed
 * subplan that reads every remote session.
 */
export function remoteSessionsAllow(s: string, f: SearchFilters, today: string): SQL {
  const any = sql`(SELECT bool_or(${sessionMatches('rs', f, today)}) FROM sessions rs WHERE rs.scheme_id = ${col(s, 'id')} AND rs.venue_id IS NULL)`
  return sql`(${openWithoutSessions(s)} OR ${any} ${asksSessionFilter(f) ? sql`IS TRUE` : sql`IS NOT FALSE`})`
}

/**
 * Whether `from` (FROM … WHERE …, correlated to the outer row) has a row, as a scalar
 * subquery: run per outer row through its indexes, never turned into a join or a hashed
 * subplan over the whole table as EXISTS can be.
 */
export const hasRow = (from: SQL) => sql`(SELECT true FROM ${from} LIMIT 1) IS NOT NULL`
export const hasNoRow = (from: SQL) => sql`(SELECT true FROM ${from} LIMIT 1) IS NULL`

/**
 * Scheme `s`'s sessions `ms` in one pass through their (scheme_id, position) key, as
 * {matching, all}: `matching`, those for which `hit` holds, as documents (one that skips bank
 * holidays also carries its calendar as `holiday_region`, which the page takes off to compute
 * its next occurrences); `all`, every one, for the scheme's schedule_summary, only when some do
 * not match (NULL: the matching ones are all of them). `join` may join the session's venue.
 */
export function sessionLists(hit: SQL, join: SQL = sql``): SQL {
  return sql`(SELECT jsonb_build_object(
      'matching', coalesce(jsonb_agg(x.doc ORDER BY x.position) FILTER (WHERE x.hit), '[]'::jsonb),
      'all', CASE WHEN bool_and(x.hit) THEN NULL ELSE jsonb_agg(x.doc ORDER BY x.position) END)
    FROM (SELECT ms.position, coalesce(${hit}, false) AS hit, ${sessionJson('ms')}
        || CASE WHEN ms.except_bank_holidays THEN jsonb_build_object('holiday_region', ${sessionHolidayRegion('ms')}) ELSE '{}'::jsonb END AS doc
      FROM sessions ms ${join} WHERE ms.scheme_id = s.id OFFSET 0) x)`
}

/**
 * The item of scheme `s` (organisation `org`), built once per row: `item.doc`, its document
 * without the matching sessions, and `item.sessions`, its sessionLists (OFFSET 0: not pulled
 * up, so that the readers in itemColumns do not build them twice). A FROM item for the page's
 * final SELECT.
 */
export function itemDocument(distance: SQL, venue: SQL, sessions: SQL): SQL {
  return sql`CROSS JOIN LATERAL (SELECT ${schemeJson('s')} || ${polygonSummary('s')} || jsonb_build_object(
    'organisation', jsonb_build_object('id', org.id, 'name', org.name), 'distance_m', ${distance}, 'venue', ${venue}) AS doc,
    ${sessions} AS sessions OFFSET 0) item`
}

/**
 * The columns of a search row, as JSON text: `doc` from itemDocument; `sessions`, the matching
 * ones; `schedule`, what the summaries need beside them: the scheme's breaks and flags as its
 * document has them, and all its sessions when some do not match. The service splices `doc`
 * into the page as it comes (src/search/page.ts): the documents are never parsed and
 * serialised again.
 */
export function itemColumns(): SQL {
  return sql`item.doc::text AS doc, (item.sessions -> 'matching')::text AS sessions,
    jsonb_build_object('breaks', item.doc -> 'breaks', 'by_arrangement', item.doc -> 'by_arrangement', 'always_open', item.doc -> 'always_open',
      'sessions', item.sessions -> 'all')::text AS schedule`
}

/**
 * A polygon service area as a search item shows it: its bbox and a link to the whole outline
 * (up to 100 KB; a page of 100 items would carry 100 of them). Others unchanged ({}).
 */
function polygonSummary(s: string): SQL {
  const c = (name: string) => sql.raw(`${s}.${name}`)
  const shape = sql`${c('area_shape')}::geometry`
  const r = (v: SQL) => sql`round((${v})::numeric, 6)`
  return sql`(CASE WHEN ${c('area_type')} = 'polygon' THEN jsonb_build_object('service_area', jsonb_build_object('type', 'polygon',
    'bbox', jsonb_build_array(${r(sql`ST_XMin(${shape})`)}, ${r(sql`ST_YMin(${shape})`)}, ${r(sql`ST_XMax(${shape})`)}, ${r(sql`ST_YMax(${shape})`)}),
    'href', '/v1/schemes/' || ${c('id')} || '/service_area')) ELSE '{}'::jsonb END)`
}
