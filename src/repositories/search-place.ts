import { sql, type SQL } from 'drizzle-orm'
import { venueJson } from '../db/documents.ts'
import { originGeography, originGrid, PLANAR_MARGIN, serviceAreaCovers, venueGeodesicDistance, venueWithinRadius, type Origin } from '../db/spatial.ts'
import {
  hasNoRow, inPersonAccess, item, remoteEligible, remoteModes, remoteSessionsAllow, schemeMatches, sessionMatches, sessionsArray, wantsInPerson,
} from './search-sql.ts'
import type { SearchRequest } from './search.ts'

/**
 * Venues a place search reads nearest first before it gives up streaming and plans the
 * whole circle (`ip2` below): about 20 ms at 1M schemes, enough for all but narrow filters
 * over a wide circle in a city (docs/performance.md).
 */
export const NEAREST_VENUES = 2000

/**
 * The page of a search with a place, in one statement (docs/search-plans.md, docs/performance.md):
 *
 * ip1: venues nearest first (the KNN order of the GiST index on the BNG point), each joined
 *   to the schemes with a matching session there whose *best* venue it is (no matching venue
 *   of the scheme nearer, ties by venue id), so each scheme comes once, at its nearest
 *   matching venue, already in page order: the stream stops at limit + 1 rows (with ties).
 *   The venue scan keeps only the bounding-box test as its index condition so that its row
 *   estimate stays large, and the lateral join returns one aggregate row per venue: both keep
 *   the planner on the nearest-first nested loop instead of sorting every venue in the circle.
 * certain: ip1 is the page when it is full, or when the NEAREST_VENUES venues it may read
 *   were every venue of the circle (past the cursor).
 * ip2: otherwise every match in the circle, each scheme at its nearest matching venue,
 *   planned freely: with narrow scheme filters the planner starts from their indexes.
 * remote: when the in-person rows do not fill the page, schemes offering an asked remote
 *   mode whose service area covers the place and that have no in-person match, by name
 *   (schemes_remote_name_order, or the remote GIN indexes for rare codes).
 */
export function placeStatement(r: SearchRequest, o: Origin): SQL {
  const { filters: f, after, today, now } = r
  const n = f.limit + 1
  const grid = originGrid(o)
  const planarRadius = sql`${f.radiusM * PLANAR_MARGIN + 1}::float8`
  const box = sql`v.geom && ST_Expand(${grid}, ${planarRadius})`
  const pd = sql`(v.geom <-> ${grid})`
  // venue `x` is undeleted and within the radius on the ellipsoid, session `ss` of scheme `s` matches there
  const matchAt = (x: string, ss: string) => sql`${sql.raw(x)}.deleted_at IS NULL
    AND ${sessionMatches(ss, f, today)} AND ${inPersonAccess(x, 's', f)}
    AND ST_DWithin(${sql.raw(x)}.location, ${originGeography(o)}, ${f.radiusM}::float8, true)`
  const ctes: SQL[] = []

  if (wantsInPerson(f) && after?.group !== 1) {
    const fromVenue = after?.group === 0 ? sql`AND ${pd} >= ${after.distance}::float8` : sql``
    const fromKey = (d: SQL, id: SQL) => (after?.group === 0 ? sql`AND (${d}, ${id}) > (${after.distance}::float8, ${after.id}::uuid)` : sql``)
    const budget = sql.raw(String(NEAREST_VENUES))
    ctes.push(sql`ip1 AS MATERIALIZED (
      SELECT u.scheme_id, v.id AS venue_id, v.pd
      FROM (SELECT v.id, v.accessibility, v.location, v.deleted_at, ${pd} AS pd FROM venues v
            WHERE ${box} ${fromVenue} ORDER BY ${pd} FETCH FIRST ${budget} ROWS WITH TIES) v
      CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT ss.scheme_id) AS ids FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id
        WHERE ss.venue_id = v.id AND ${schemeMatches('s', f, now)} AND ${matchAt('v', 'ss')}
          AND ${hasNoRow(sql`sessions s2 JOIN venues v2 ON v2.id = s2.venue_id
            WHERE s2.scheme_id = ss.scheme_id AND (v2.geom <-> ${grid}, v2.id) < (v.pd, v.id) AND ${matchAt('v2', 's2')}`)}) m
      CROSS JOIN LATERAL unnest(m.ids) AS u(scheme_id)
      WHERE v.pd <= ${planarRadius} ${fromKey(sql`v.pd`, sql`u.scheme_id`)}
      ORDER BY v.pd
      FETCH FIRST ${n} ROWS WITH TIES)`)
    ctes.push(sql`certain AS (
      SELECT (SELECT count(*) FROM ip1) >= ${n}
        OR (SELECT count(*) FROM (SELECT FROM venues v WHERE ${box} AND ${pd} <= ${planarRadius} ${fromVenue}
              LIMIT ${sql.raw(String(NEAREST_VENUES + 1))}) x) <= ${budget} AS yes)`)
    ctes.push(sql`ip2 AS MATERIALIZED (
      SELECT scheme_id, venue_id, pd FROM (
        SELECT DISTINCT ON (ss.scheme_id) ss.scheme_id, v.id AS venue_id, ${pd} AS pd
        FROM venues v JOIN sessions ss ON ss.venue_id = v.id JOIN schemes s ON s.id = ss.scheme_id
        WHERE NOT (SELECT yes FROM certain) AND ${venueWithinRadius('v', o, f.radiusM)} AND v.deleted_at IS NULL
          AND ${schemeMatches('s', f, now)} AND ${sessionMatches('ss', f, today)} AND ${inPersonAccess('v', 's', f)}
        ORDER BY ss.scheme_id, 3, v.id) b
      WHERE true ${fromKey(sql`pd`, sql`scheme_id`)}
      ORDER BY pd, scheme_id
      LIMIT ${n})`)
    ctes.push(sql`ip AS (
      SELECT scheme_id, venue_id, pd FROM ip1 WHERE (SELECT yes FROM certain)
      UNION ALL
      SELECT scheme_id, venue_id, pd FROM ip2)`)
  } else {
    ctes.push(sql`ip AS (SELECT NULL::uuid AS scheme_id, NULL::uuid AS venue_id, NULL::float8 AS pd WHERE false)`)
  }

  if (remoteModes(f).length > 0) {
    const noInPerson = wantsInPerson(f)
      ? sql`AND ${hasNoRow(sql`sessions ss JOIN venues v ON v.id = ss.venue_id WHERE ss.scheme_id = s.id AND ${box} AND ${matchAt('v', 'ss')}`)}`
      : sql``
    const fromName = after?.group === 1 ? sql`AND (lower(s.name) COLLATE "C", s.id) > (${after.name}::text COLLATE "C", ${after.id}::uuid)` : sql``
    // area_type IS NOT NULL is implied by the coverage test; said here so that the partial indexes apply
    ctes.push(sql`remote AS (
      SELECT s.id, lower(s.name) COLLATE "C" AS nk FROM schemes s
      WHERE (SELECT count(*) FROM ip) < ${n} AND s.area_type IS NOT NULL
        AND ${remoteEligible('s', f)} AND ${schemeMatches('s', f, now)} ${fromName}
        AND ${serviceAreaCovers('s', o)} AND ${remoteSessionsAllow('s', f, today)} ${noInPerson}
      ORDER BY lower(s.name) COLLATE "C", s.id
      LIMIT ${n})`)
  } else {
    ctes.push(sql`remote AS (SELECT NULL::uuid AS id, NULL::text AS nk WHERE false)`)
  }

  return sql`WITH ${sql.join(ctes, sql`, `)},
    page AS (
      SELECT 0 AS grp, pd AS dk, NULL::text AS nk, scheme_id AS id, venue_id FROM ip
      UNION ALL
      SELECT 1, NULL::float8, nk, id, NULL::uuid FROM remote)
    SELECT p.grp AS "group", p.dk AS distance_key, p.nk AS name_key,
      ${item(
        sql`CASE WHEN p.grp = 0 THEN round(${venueGeodesicDistance('v', o)}::numeric, 3) END`,
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
