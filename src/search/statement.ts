import { sql, type SQL } from 'drizzle-orm'
import { hasRow, inPersonAccess, itemColumns, itemDocument, remoteEligible, remoteSessionsAllow, schemeMatches, sessionLists, sessionMatches,
  wantsInPerson } from './filters.ts'
import { placeStatement } from './place-statement.ts'
import type { SearchRequest } from './request.ts'

/**
 * SPEC §3 search as one SQL statement per page. Two shapes:
 * - with a place (place-statement.ts): in-person matches nearest first by planar BNG distance
 *   (the GiST index's KNN order, then the exact geodesic radius test), each scheme at its
 *   nearest matching venue, ties by id; then remote matches whose service area covers the
 *   place, by name;
 * - without a place: every match by lower(name) COLLATE "C", then id (the name index).
 * Keyset paging: each branch starts after the cursor's sort key and stops at limit + 1.
 */

/** The page's one statement; exported so the EXPLAIN test and script show the real thing. */
export function searchStatement(r: SearchRequest): SQL {
  return r.origin ? placeStatement(r, r.origin) : nameStatement(r)
}

function nameStatement(r: SearchRequest): SQL {
  const { filters: f, after, today, now } = r
  const n = f.limit + 1
  const inPerson = wantsInPerson(f)
    ? hasRow(sql`sessions ss JOIN venues v ON v.id = ss.venue_id
        WHERE ss.scheme_id = s.id AND v.deleted_at IS NULL AND ${sessionMatches('ss', f, today)} AND ${inPersonAccess('v', 's', f)}`)
    : sql`false`
  const remote = sql`(${remoteEligible('s', f)} AND ${remoteSessionsAllow('s', f, today)})`
  const afterName = after?.group === 1 ? sql`(lower(s.name) COLLATE "C", s.id) > (${after.name}::text COLLATE "C", ${after.id}::uuid)` : sql`true`
  const sessionKinds = sql`((ms.venue_id IS NOT NULL AND ${wantsInPerson(f) ? sql`true` : sql`false`} AND mv.deleted_at IS NULL AND ${inPersonAccess('mv', 's', f)})
    OR (ms.venue_id IS NULL AND ${remoteEligible('s', f)}))`
  const matching = sessionLists(sql`${sessionMatches('ms', f, today)} AND ${sessionKinds}`, sql`LEFT JOIN venues mv ON mv.id = ms.venue_id`)
  return sql`WITH page AS (
      SELECT s.id, lower(s.name) COLLATE "C" AS nk FROM schemes s
      WHERE ${schemeMatches('s', f, now)} AND ${afterName} AND (${inPerson} OR ${remote})
      ORDER BY lower(s.name) COLLATE "C", s.id
      LIMIT ${n})
    SELECT 1 AS "group", NULL::float8 AS distance_key, p.nk AS name_key, p.id,
      ${itemColumns()}
    FROM page p
    JOIN schemes s ON s.id = p.id
    JOIN organisations org ON org.id = s.organisation_id
    ${itemDocument(sql`NULL::numeric`, sql`NULL::jsonb`, matching)}
    ORDER BY p.nk, p.id`
}
