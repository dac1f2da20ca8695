import { sql, type SQL } from 'drizzle-orm'
import { venueJson } from '../db/documents.ts'
import {
  originGrid, PLANAR_MARGIN, pointBox, serviceAreaCovers, venueBeyondGeodesicRadius, venueGeodesicDistance, venueInGeodesicRadius, venuePointDistance,
  type Origin,
} from '../db/spatial.ts'
import {
  hasNoRow, inPersonAccess, itemColumns, itemDocument, remoteEligible, remoteModes, remoteSessionsAllow, schemeMatches, sessionLists, sessionMatches, venueMayMatch,
  wantsInPerson,
} from './filters.ts'
import type { SearchRequest } from './request.ts'

/**
 * With `q`, the venues the stream reads before it asks whether the words match few enough
 * schemes to start from them instead (about 20 ms of reading at 1M schemes).
 */
export const NEAREST_VENUES = 2000

/** Past the nearest venues, a text search that matches fewer schemes than this starts from them. */
export const FEW_WORD_MATCHES = 5000

/**
 * The page of a search with a place, in one statement (docs/search-plans.md, docs/performance.md).
 *
 * In person, a stream: venues nearest first (the KNN order of the GiST index on the BNG
 * point `pt`), only those whose search bits allow a match (tested inside that index, without
 * reading a row: migrations/0008), each joined to the schemes with a matching session there whose *best* venue it
 * is (no matching venue of the scheme nearer, ties by venue id). So each scheme comes once,
 * at its nearest matching venue, already in page order, and the stream stops at limit + 1
 * rows (with ties). The venue scan keeps only the bounding box as its index condition, so
 * that its row estimate stays large, and the lateral join yields one aggregate row per
 * venue: both keep the planner on the nearest-first nested loop rather than sorting every
 * venue of the circle. Its cost grows with the venues it reads: few for broad filters, the
 * whole circle when the filters leave fewer matches than a page.
 * With `q`, three branches, each run only when the one before could not answer:
 * ip1: the stream over the NEAREST_VENUES nearest venues; it is the page when it is full,
 *   or when those were every venue of the circle (`certain`);
 * ip2: with words matching fewer than FEW_WORD_MATCHES schemes, from each of them to its
 *   nearest matching venue;
 * ip3: the stream on from the farthest venue ip1 read to the edge of the circle; with
 *   ip1's rows, the page.
 * Remote, when the in-person rows do not fill the page: schemes offering an asked remote
 * mode whose service area covers the place and that have no in-person match, by name
 * (schemes_remote_name_order, or the remote GIN indexes for rare codes).
 * The suggestions of an empty page (suggestions.ts) run the same statement over a wider
 * radius with `beyondM`: a venue within it is never a scheme's nearest (`kept`), so only the
 * schemes whose nearest matching venue lies beyond the radius asked come out.
 */
export function placeStatement(r: SearchRequest, o: Origin): SQL {
  const p = placePieces(r, o)
  const inPerson = !wantsInPerson(r.filters) || r.after?.group === 1
    ? [sql`ip AS (SELECT NULL::uuid AS scheme_id, NULL::uuid AS venue_id, NULL::float8 AS pd WHERE false)`]
    : r.filters.q ? textBranches(p) : [sql`ip AS MATERIALIZED (${stream(p, null)})`]
  return sql`WITH ${sql.join([...inPerson, remoteMatches(p)], sql`, `)}, ${pageRows(p)}`
}

/** What every part of the place statement shares: the request, the origin and the named conditions built from them. */
interface PlacePieces {
  r: SearchRequest
  o: Origin
  f: SearchRequest['filters']
  /** limit + 1: one row more than the page tells whether there is a next page */
  n: number
  /** the radius in planar BNG metres, with its margin (spatial.ts PLANAR_MARGIN) */
  planarRadius: SQL
  /** venue `v` in the planar square around the circle, through the GiST index on `geom` */
  box: SQL
  /** planar distance of venue `v` */
  pd: SQL
  /** the venues that may match, in the square around the circle: inside the index on `pt` */
  candidates: SQL
  /** `AND` venue `x` at planar distance `xpd` may be a scheme's nearest: beyond SearchRequest.beyondM when set, else nothing */
  kept: (x: string, xpd: SQL) => SQL
}

function placePieces(r: SearchRequest, o: Origin): PlacePieces {
  const f = r.filters
  const planarRadius = sql`${f.radiusM * PLANAR_MARGIN + 1}::float8`
  return {
    r, o, f, n: f.limit + 1, planarRadius,
    box: sql`v.geom && ST_Expand(${originGrid(o)}, ${planarRadius})`,
    pd: venuePointDistance('v', o),
    candidates: sql`v.pt <@ ${pointBox(o, planarRadius)} AND ${venueMayMatch('v', f)}`,
    kept: (x, xpd) => (r.beyondM === undefined ? sql`` : sql`AND ${venueBeyondGeodesicRadius(x, xpd, o, r.beyondM)}`),
  }
}

/**
 * Venue `x` (planar distance `xpd`) is undeleted and within the radius on the ellipsoid, and
 * session `ss` of the scheme whose accessibility is `sa`.accessibility matches there.
 */
function matchAt(p: PlacePieces, x: string, ss: string, xpd = venuePointDistance(x, p.o), sa = 's'): SQL {
  return sql`${sql.raw(x)}.deleted_at IS NULL
    AND ${sessionMatches(ss, p.f, p.r.today)} AND ${inPersonAccess(x, sa, p.f)} AND ${venueInGeodesicRadius(x, xpd, p.o, p.f.radiusM)}`
}

/** No matching venue of scheme `m.scheme_id` (accessibility `m.accessibility`) is nearer than venue `x` (ties by venue id). */
function nearestOf(p: PlacePieces, x: string, m: string): SQL {
  return hasNoRow(sql`sessions s2 JOIN venues v2 ON v2.id = s2.venue_id
    WHERE s2.scheme_id = ${sql.raw(m)}.scheme_id AND (${venuePointDistance('v2', p.o)}, v2.id) < (${sql.raw(x)}.pd, ${sql.raw(x)}.id)
      AND ${matchAt(p, 'v2', 's2', venuePointDistance('v2', p.o), m)}`)
}

/** Past a distance cursor, (distance, id) keys after it. */
function afterKey(p: PlacePieces, d: SQL, id: SQL): SQL {
  const a = p.r.after
  return a?.group === 0 ? sql`AND (${d}, ${id}) > (${a.distance}::float8, ${a.id}::uuid)` : sql``
}

/**
 * The stream: venues nearest first (at most `limit` of them, with ties; only those farther
 * than `beyond` are joined), each with the schemes whose best matching venue it is. Past the
 * cursor, venues before it are skipped inside the lateral join, not by the venue scan, whose
 * row estimate would shrink enough to make the planner sort the whole circle.
 */
function stream(p: PlacePieces, limit: SQL | null, beyond: SQL | null = null): SQL {
  const { r, f, pd, candidates, planarRadius, n, kept } = p
  const fromVenue = r.after?.group === 0 ? sql`AND x.pd >= ${r.after.distance}::float8` : sql``
  return sql`
      SELECT u.scheme_id, x.id AS venue_id, x.pd
      FROM (SELECT v.id, ${pd} AS pd FROM venues v
            WHERE ${candidates} ORDER BY ${pd} ${limit ? sql`FETCH FIRST ${limit} ROWS WITH TIES` : sql``}) x
      CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT ss.scheme_id) AS ids FROM (
          SELECT ss.scheme_id, s.accessibility FROM venues v JOIN sessions ss ON ss.venue_id = v.id JOIN schemes s ON s.id = ss.scheme_id
          WHERE v.id = x.id ${fromVenue} ${beyond ? sql`AND x.pd > ${beyond}` : sql``} ${kept('v', sql`x.pd`)}
            AND ${schemeMatches('s', f, r.now)} AND ${matchAt(p, 'v', 'ss', sql`x.pd`)}
          OFFSET 0) ss
        -- the nearer-venue test last, only for the sessions that match (OFFSET 0 keeps it out of the scan)
        WHERE ${nearestOf(p, 'x', 'ss')}) m
      CROSS JOIN LATERAL unnest(m.ids) AS u(scheme_id)
      WHERE x.pd <= ${planarRadius} ${afterKey(p, sql`x.pd`, sql`u.scheme_id`)}
      ORDER BY x.pd
      FETCH FIRST ${n} ROWS WITH TIES`
}

/**
 * With `q`, three branches, each run only when the one before could not answer (ip1, then
 * ip2 or ip3): a text search may match few schemes, and then starting from them beats
 * walking a wide circle, which the nearest venues tell.
 */
function textBranches(p: PlacePieces): SQL[] {
  const { r, f, n, pd, candidates, planarRadius, box, kept } = p
  const budget = sql.raw(String(r.tuning?.nearestVenues ?? NEAREST_VENUES))
  const cap = sql.raw(String(r.tuning?.fewWordMatches ?? FEW_WORD_MATCHES))
  return [
    sql`ip1 AS MATERIALIZED (${stream(p, budget)})`,
    // how far ip1's venues reach: the distance of the farthest, and whether they were all
    // the candidates of the circle (fewer than the budget, or past its edge)
    sql`reach AS (
        SELECT max(pd) AS pd, count(*) < ${budget} OR max(pd) > ${planarRadius} AS whole
        FROM (SELECT ${pd} AS pd FROM venues v WHERE ${candidates} ORDER BY ${pd} FETCH FIRST ${budget} ROWS WITH TIES) e)`,
    sql`certain AS (
        SELECT (SELECT count(*) FROM ip1) >= ${n} OR coalesce((SELECT whole FROM reach), true) AS yes)`,
    // the schemes the words match (GIN on search_text), read once for both questions
    sql`words AS MATERIALIZED (
        SELECT s.id, s.accessibility FROM schemes s WHERE NOT (SELECT yes FROM certain) AND ${schemeMatches('s', f, r.now)} LIMIT ${cap})`,
    sql`few AS (SELECT (SELECT count(*) FROM words) < ${cap} AS yes)`,
    // ip2: from each of those schemes to its nearest matching venue
    sql`ip2 AS MATERIALIZED (
        SELECT s.id AS scheme_id, b.venue_id, b.pd
        FROM (SELECT * FROM words WHERE (SELECT yes FROM few)) s
        CROSS JOIN LATERAL (
          SELECT v.id AS venue_id, ${pd} AS pd, v.location FROM sessions ss JOIN venues v ON v.id = ss.venue_id
          WHERE ss.scheme_id = s.id AND ${box} AND ${pd} <= ${planarRadius} AND ${matchAt(p, 'v', 'ss')}
          ORDER BY 2, 1 LIMIT 1) b
        WHERE true ${afterKey(p, sql`b.pd`, sql`s.id`)} ${kept('b', sql`b.pd`)}
        ORDER BY b.pd, s.id
        LIMIT ${n})`,
    // ip3: the stream on from where ip1 stopped (the farthest of its venues) to the edge of the circle
    sql`ip3 AS MATERIALIZED (
        SELECT * FROM (${stream(p, null, sql`(SELECT pd FROM reach)`)}) x WHERE NOT (SELECT yes FROM certain) AND NOT (SELECT yes FROM few))`,
    sql`ip AS (
        SELECT scheme_id, venue_id, pd FROM ip1 WHERE (SELECT yes FROM certain) OR NOT (SELECT yes FROM few)
        UNION ALL SELECT scheme_id, venue_id, pd FROM ip2
        UNION ALL SELECT scheme_id, venue_id, pd FROM ip3)`,
  ]
}

/**
 * Remote, when the in-person rows do not fill the page: schemes offering an asked remote mode
 * whose service area covers the place and that have no in-person match, by name.
 */
function remoteMatches(p: PlacePieces): SQL {
  const { r, f, o, n, box } = p
  if (remoteModes(f).length === 0) return sql`remote AS (SELECT NULL::uuid AS id, NULL::text AS nk WHERE false)`
  const noInPerson = wantsInPerson(f)
    ? sql`AND ${hasNoRow(sql`sessions ss JOIN venues v ON v.id = ss.venue_id WHERE ss.scheme_id = s.id AND ${box} AND ${matchAt(p, 'v', 'ss')}`)}`
    : sql``
  const fromName = r.after?.group === 1 ? sql`AND (lower(s.name) COLLATE "C", s.id) > (${r.after.name}::text COLLATE "C", ${r.after.id}::uuid)` : sql``
  // area_type IS NOT NULL is implied by the coverage test; said here so that the partial indexes apply
  return sql`remote AS (
      SELECT s.id, lower(s.name) COLLATE "C" AS nk FROM schemes s
      WHERE (SELECT count(*) FROM ip) < ${n} AND s.area_type IS NOT NULL
        AND ${remoteEligible('s', f)} AND ${schemeMatches('s', f, r.now)} ${fromName}
        AND ${serviceAreaCovers('s', o)} AND ${remoteSessionsAllow('s', f, r.today)} ${noInPerson}
      ORDER BY lower(s.name) COLLATE "C", s.id
      LIMIT ${n})`
}

/**
 * The page: in-person rows (group 0) by distance, then remote ones (group 1) by name, cut to
 * limit + 1 (`top`) before each row's item columns are built: both branches may bring up to
 * limit + 1 rows, and an item is built only for a row that is shown. With `countOnly`, how
 * many rows the page has (up to limit + 1), without the item columns.
 */
function pageRows(p: PlacePieces): SQL {
  const { r, f, o, n } = p
  const page = sql`page AS (
      SELECT 0 AS grp, pd AS dk, NULL::text AS nk, scheme_id AS id, venue_id FROM ip
      UNION ALL
      SELECT 1, NULL::float8, nk, id, NULL::uuid FROM remote)`
  if (r.countOnly) return sql`${page} SELECT count(*)::int AS matches FROM (SELECT 1 FROM page LIMIT ${n}) c`
  return sql`${page},
    top AS (SELECT * FROM page p ORDER BY p.grp, p.dk, p.nk COLLATE "C", p.id LIMIT ${n})
    SELECT p.grp AS "group", p.dk AS distance_key, p.nk AS name_key, p.id,
      ${itemColumns()}
    FROM top p
    JOIN schemes s ON s.id = p.id
    JOIN organisations org ON org.id = s.organisation_id
    LEFT JOIN venues v ON v.id = p.venue_id
    ${itemDocument(
      sql`CASE WHEN p.grp = 0 THEN round(${venueGeodesicDistance('v', o)}::numeric, 3) END`,
      sql`CASE WHEN p.grp = 0 THEN ${venueJson('v')} END`,
      // in person, the sessions at the venue; remote, the remote ones
      sessionLists(sql`(CASE WHEN p.grp = 0 THEN ms.venue_id = p.venue_id ELSE ms.venue_id IS NULL END) AND ${sessionMatches('ms', f, r.today)}`),
    )}
    ORDER BY p.grp, p.dk, p.nk COLLATE "C", p.id`
}
