import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { schemeJson, sessionJson, venueJson } from '../db/documents.ts'
import { serviceAreaCovers, venueGeodesicDistance, venuePlanarDistance, venueWithinRadius, type Origin } from '../db/spatial.ts'
import type { CursorPosition } from '../domain/cursor.ts'
import { asksSessionFilter, type SearchFilters } from '../domain/search-params.ts'
import { PERIODS, REMOTE_DELIVERY } from '../domain/vocabularies.ts'

/**
 * SPEC §3 search as one SQL statement per page. Two shapes:
 * - with a place: in-person matches within the radius (GiST index on venues.geom, then the
 *   exact geodesic test), each scheme at its nearest matching venue, ordered by planar BNG
 *   distance then id; then remote matches whose service area covers the place, by name;
 * - without a place: every match by lower(name) COLLATE "C", then id (the name index).
 * Keyset paging: each branch starts after the cursor's sort key and stops at limit + 1.
 */

export interface SearchRequest {
  filters: SearchFilters
  origin: Origin | null
  after: CursorPosition | null
  /** UK date: sessions must be current on it. */
  today: string
  now: Date
}

export interface SearchRow {
  group: 0 | 1
  distance_key: number | null
  name_key: string | null
  doc: Record<string, any>
}

const textArray = (xs: string[]) => sql`${sql.param(xs)}::text[]`
const col = (alias: string, name: string) => sql.raw(`${alias}.${name}`)
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`true`)
const WEEKDAY = sql`(ARRAY['mon','tue','wed','thu','fri','sat','sun'])`

/** The UK weekday code of a date expression. */
const weekdayOf = (d: SQL) => sql`${WEEKDAY}[extract(isodow FROM ${d})::int]`

/** SPEC §2: session `ss` runs on date `d` (frequency, validity, except_dates). */
export function runsOn(ss: string, d: SQL): SQL {
  const c = (n: string) => col(ss, n)
  const monday = (x: SQL) => sql`(${x} - (extract(isodow FROM ${x})::int - 1))`
  return sql`((${c('valid_from')} IS NULL OR ${c('valid_from')} <= ${d})
    AND (${c('valid_to')} IS NULL OR ${c('valid_to')} >= ${d})
    AND NOT (${d} = ANY(${c('except_dates')}))
    AND CASE ${c('frequency')}
      WHEN 'once' THEN ${c('date')} = ${d}
      WHEN 'weekly' THEN ${weekdayOf(d)} = ANY(${c('days')})
      WHEN 'fortnightly' THEN ${weekdayOf(d)} = ANY(${c('days')})
        AND (${monday(d)} - ${monday(sql`${c('valid_from')}`)}) % 14 = 0
      WHEN 'monthly' THEN ${weekdayOf(d)} = ANY(${c('days')}) AND CASE
        WHEN ${c('week_of_month')} = -1 THEN extract(month FROM ${d} + 7) <> extract(month FROM ${d})
        ELSE (extract(day FROM ${d})::int - 1) / 7 + 1 = ${c('week_of_month')} END
      ELSE false END)`
}

/** SPEC §2: session `ss` is current on `today`. */
export function isCurrent(ss: string, today: string): SQL {
  const c = (n: string) => col(ss, n)
  return sql`(CASE WHEN ${c('frequency')} = 'once' THEN ${c('date')} >= ${today}::date
    ELSE ${c('valid_to')} IS NULL OR ${c('valid_to')} >= ${today}::date END)`
}

/** Current and every session filter, on session `ss`. */
function sessionMatches(ss: string, f: SearchFilters, today: string): SQL {
  const c = (n: string) => col(ss, n)
  const parts = [isCurrent(ss, today)]
  if (f.days) {
    parts.push(sql`(CASE WHEN ${c('frequency')} = 'once' THEN ${weekdayOf(c('date'))} = ANY(${textArray(f.days)})
      ELSE ${c('days')} && ${textArray(f.days)} END)`)
  }
  if (f.periods) {
    const windows = f.periods.map((p) => {
      const [a, b] = PERIODS[p as keyof typeof PERIODS].map((m) => `${String(m / 60).padStart(2, '0')}:00`)
      return sql`(${c('starts')} < ${b}::time AND ${c('ends')} > ${a}::time)`
    })
    parts.push(sql`(${sql.join(windows, sql` OR `)})`)
  }
  if (f.startsAfter) parts.push(sql`${c('starts')} >= ${f.startsAfter}::time`)
  if (f.endsBefore) parts.push(sql`${c('ends')} <= ${f.endsBefore}::time`)
  if (f.date) parts.push(runsOn(ss, sql`${f.date}::date`))
  return and(parts)
}

/** Active, undeleted, and every scheme filter, on scheme `s`. */
function schemeMatches(s: string, f: SearchFilters, now: Date): SQL {
  const c = (n: string) => col(s, n)
  const parts = [sql`${c('deleted_at')} IS NULL`, sql`${c('status')} = 'active'`]
  if (f.categories) parts.push(sql`${c('categories')} && ${textArray(f.categories)}`)
  if (f.needs) parts.push(sql`${c('needs')} && ${textArray(f.needs)}`)
  if (f.audience) parts.push(sql`${c('audience')} && ${textArray(f.audience)}`)
  if (f.groupSizes) parts.push(sql`${c('group_size')} = ANY(${textArray(f.groupSizes)})`)
  if (f.languages) parts.push(sql`${c('languages')} && ${textArray(f.languages)}`)
  if (f.free !== null) parts.push(f.free ? sql`${c('cost_free')}` : sql`NOT ${c('cost_free')}`)
  if (f.maxCostPence !== null) parts.push(sql`(${c('cost_free')} OR ${c('cost_amount_pence')} <= ${f.maxCostPence}::int)`)
  if (f.age !== null) {
    parts.push(sql`(${c('min_age')} IS NULL OR ${c('min_age')} <= ${f.age}::int) AND (${c('max_age')} IS NULL OR ${c('max_age')} >= ${f.age}::int)`)
  }
  if (f.selfReferral !== null) parts.push(sql`${c('self_referral')} = ${f.selfReferral}::boolean`)
  if (f.acceptingReferrals !== null) parts.push(sql`${c('accepting_referrals')} = ${f.acceptingReferrals}::boolean`)
  if (f.q) parts.push(sql`${c('search_text')} @@ websearch_to_tsquery('english', ${f.q}::text)`)
  if (f.organisationId) parts.push(sql`${c('organisation_id')} = ${f.organisationId}::uuid`)
  if (f.verifiedWithinDays !== null) {
    parts.push(sql`${c('last_verified_at')} >= ${now.toISOString()}::timestamptz - make_interval(days => ${f.verifiedWithinDays}::int)`)
  }
  return and(parts)
}

/** accessibility: all asked codes among the venue's and the scheme's (in person). */
function inPersonAccess(v: string, s: string, f: SearchFilters): SQL {
  return f.accessibility ? sql`(${col(v, 'accessibility')} || ${col(s, 'accessibility')}) @> ${textArray(f.accessibility)}` : sql`true`
}

const remoteModes = (f: SearchFilters) => f.delivery.filter((d) => (REMOTE_DELIVERY as readonly string[]).includes(d))
const wantsInPerson = (f: SearchFilters) => f.delivery.includes('in_person')

/** Scheme `s` offers an asked remote mode and its own accessibility meets the filter (coverage apart). */
function remoteEligible(s: string, f: SearchFilters): SQL {
  const modes = remoteModes(f)
  if (modes.length === 0) return sql`false`
  const parts = [sql`${col(s, 'delivery')} && ${textArray(modes)}`]
  if (f.accessibility) parts.push(sql`${col(s, 'accessibility')} @> ${textArray(f.accessibility)}`)
  return and(parts)
}

/** A current remote session satisfies the session filters, or there is none and none was asked. */
function remoteSessionsAllow(s: string, f: SearchFilters, today: string): SQL {
  const some = sql`EXISTS (SELECT 1 FROM sessions rs WHERE rs.scheme_id = ${col(s, 'id')} AND rs.venue_id IS NULL AND ${sessionMatches('rs', f, today)})`
  if (asksSessionFilter(f)) return some
  return sql`(${some} OR NOT EXISTS (SELECT 1 FROM sessions rs WHERE rs.scheme_id = ${col(s, 'id')} AND rs.venue_id IS NULL))`
}

function sessionsArray(from: SQL): SQL {
  return sql`coalesce((SELECT jsonb_agg(${sessionJson('ms')} ORDER BY ms.position) ${from}), '[]'::jsonb)`
}

function item(distance: SQL, venue: SQL, sessions: SQL): SQL {
  return sql`${schemeJson('s')} || jsonb_build_object('organisation', jsonb_build_object('id', org.id, 'name', org.name),
    'distance_m', ${distance}, 'venue', ${venue}, 'matching_sessions', ${sessions})`
}

/** The page's one statement; exported so the EXPLAIN test and script show the real thing. */
export function searchStatement(r: SearchRequest): SQL {
  return r.origin ? placeStatement(r, r.origin) : nameStatement(r)
}

function placeStatement(r: SearchRequest, o: Origin): SQL {
  const { filters: f, after, today, now } = r
  const n = f.limit + 1
  const inPerson = wantsInPerson(f)
    ? sql`SELECT ss.scheme_id, v.id AS venue_id,
          ${venuePlanarDistance('v', o)} AS pd, ${venueGeodesicDistance('v', o)} AS gd
        FROM venues v
        JOIN sessions ss ON ss.venue_id = v.id
        JOIN schemes s ON s.id = ss.scheme_id
        WHERE ${venueWithinRadius('v', o, f.radiusM)} AND v.deleted_at IS NULL
          AND ${schemeMatches('s', f, now)} AND ${sessionMatches('ss', f, today)} AND ${inPersonAccess('v', 's', f)}`
    : sql`SELECT NULL::uuid AS scheme_id, NULL::uuid AS venue_id, NULL::float8 AS pd, NULL::float8 AS gd WHERE false`
  const afterInPerson = !after ? sql`true` : after.group === 0 ? sql`(pd, scheme_id) > (${after.distance}::float8, ${after.id}::uuid)` : sql`false`
  const afterRemote = after?.group === 1 ? sql`(nk, id) > (${after.name}::text COLLATE "C", ${after.id}::uuid)` : sql`true`
  return sql`WITH ip AS (${inPerson}),
    best AS (SELECT DISTINCT ON (scheme_id) scheme_id, venue_id, pd, gd FROM ip ORDER BY scheme_id, pd, venue_id),
    remote AS (
      SELECT s.id, lower(s.name) COLLATE "C" AS nk FROM schemes s
      WHERE ${remoteEligible('s', f)} AND ${schemeMatches('s', f, now)} AND ${serviceAreaCovers('s', o)}
        AND ${remoteSessionsAllow('s', f, today)}
        AND NOT EXISTS (SELECT 1 FROM best b WHERE b.scheme_id = s.id)),
    page AS (
      (SELECT 0 AS grp, pd AS dk, NULL::text AS nk, scheme_id AS id, venue_id, gd FROM best
        WHERE ${afterInPerson} ORDER BY pd, scheme_id LIMIT ${n})
      UNION ALL
      (SELECT 1, NULL::float8, nk, id, NULL::uuid, NULL::float8 FROM remote
        WHERE ${afterRemote} ORDER BY nk, id LIMIT ${n}))
    SELECT p.grp AS "group", p.dk AS distance_key, p.nk AS name_key,
      ${item(
        sql`CASE WHEN p.grp = 0 THEN round(p.gd::numeric, 3) END`,
        sql`CASE WHEN p.grp = 0 THEN ${venueJson('v')} END`,
        sql`CASE WHEN p.grp = 0
          THEN ${sessionsArray(sql`FROM sessions ms WHERE ms.scheme_id = p.id AND ms.venue_id = p.venue_id AND ${sessionMatches('ms', f, today)}`)}
          ELSE ${sessionsArray(sql`FROM sessions ms WHERE ms.scheme_id = p.id AND ms.venue_id IS NULL AND ${sessionMatches('ms', f, today)}`)} END`,
      )} AS doc
    FROM page p
    JOIN schemes s ON s.id = p.id
    JOIN organisations org ON org.id = s.organisation_id
    LEFT JOIN venues v ON v.id = p.venue_id
    ORDER BY p.grp, p.dk, p.nk COLLATE "C", p.id
    LIMIT ${n}`
}

function nameStatement(r: SearchRequest): SQL {
  const { filters: f, after, today, now } = r
  const n = f.limit + 1
  const inPerson = wantsInPerson(f)
    ? sql`EXISTS (SELECT 1 FROM sessions ss JOIN venues v ON v.id = ss.venue_id
        WHERE ss.scheme_id = s.id AND v.deleted_at IS NULL AND ${sessionMatches('ss', f, today)} AND ${inPersonAccess('v', 's', f)})`
    : sql`false`
  const remote = sql`(${remoteEligible('s', f)} AND ${remoteSessionsAllow('s', f, today)})`
  const afterName = after?.group === 1 ? sql`(lower(s.name) COLLATE "C", s.id) > (${after.name}::text COLLATE "C", ${after.id}::uuid)` : sql`true`
  const sessionKinds = sql`((ms.venue_id IS NOT NULL AND ${wantsInPerson(f) ? sql`true` : sql`false`} AND mv.deleted_at IS NULL AND ${inPersonAccess('mv', 's', f)})
    OR (ms.venue_id IS NULL AND ${remoteEligible('s', f)}))`
  return sql`WITH page AS (
      SELECT s.id, lower(s.name) COLLATE "C" AS nk FROM schemes s
      WHERE ${schemeMatches('s', f, now)} AND ${afterName} AND (${inPerson} OR ${remote})
      ORDER BY lower(s.name) COLLATE "C", s.id
      LIMIT ${n})
    SELECT 1 AS "group", NULL::float8 AS distance_key, p.nk AS name_key,
      ${item(sql`NULL::numeric`, sql`NULL::jsonb`, sessionsArray(sql`FROM sessions ms LEFT JOIN venues mv ON mv.id = ms.venue_id
        WHERE ms.scheme_id = s.id AND ${sessionMatches('ms', f, today)} AND ${sessionKinds}`))} AS doc
    FROM page p
    JOIN schemes s ON s.id = p.id
    JOIN organisations org ON org.id = s.organisation_id
    ORDER BY p.nk, p.id`
}

export async function searchSchemes(db: Db, r: SearchRequest): Promise<SearchRow[]> {
  return db.query<SearchRow>(searchStatement(r))
}

const secrets = new WeakMap<Db, Promise<string>>()

/** The server secret that seals cursors (migrations/0004), read once per database. */
export function cursorSecret(db: Db): Promise<string> {
  let s = secrets.get(db)
  if (!s) {
    s = db.query<{ secret: string }>(sql`SELECT secret FROM search_cursor_secret`).then((rows) => rows[0].secret)
    s.catch(() => secrets.delete(db))
    secrets.set(db, s)
  }
  return s
}
