import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { venueInGridBox } from '../db/spatial.ts'
import { inPersonAccess, schemeMatches, sessionMatches } from '../search/filters.ts'
import type { SearchFilters } from '../search/params.ts'

/**
 * Coverage (docs/insights.md) in PostGIS, from search's own named rules (src/search/filters.ts):
 * a venue is a *matching venue* when it is not deleted and a current session there matches
 * every session filter, for a published scheme that matches every scheme filter, with the
 * venue's and the scheme's accessibility together meeting the asked codes: exactly an
 * in-person match of search, without the place.
 */

/** `session ss` of `scheme s` at `venue v` matches the filters in person (search's in-person match, place apart). */
function matchingSession(f: SearchFilters, today: string, now: Date): SQL {
  return sql`v.deleted_at IS NULL AND ${sessionMatches('ss', f, today)} AND ${inPersonAccess('v', 's', f)} AND ${schemeMatches('s', f, now)}`
}

/**
 * Which sector centroids (BNG easting/northing, by index) have a matching venue within
 * `radiusM`. In one read-only statement (a read replica answers it): the matching venues' BNG
 * points are gathered once, in one pass of search's own rules, each with its cell of a grid of
 * side radius/4 (COVERAGE_CELLS). A sector is covered at once when a cell lying wholly within its
 * radius holds a point, which settles nearly every sector of a busy directory from the few
 * thousand occupied cells alone; only the sectors left over test the points of the cells their
 * circle crosses, one by one. The answer is exact (every covered sector has a point within the
 * radius, and no point within the radius is missed), and costs one pass of the matching
 * sessions, one pass of the points and a few joins of cells, whatever the filters.
 * Planar BNG metres: within 0.1% of the ellipsoid across GB (src/db/spatial.ts).
 */
export async function coveredSectors(db: Db, points: { e: number[]; n: number[] }, radiusM: number, f: SearchFilters, today: string, now: Date,
  { area = 'country', timeoutMs }: { area?: 'country' | 'local'; timeoutMs?: number } = {}): Promise<number[]> {
  const r = sql`${radiusM}::float8`
  const g = sql`${radiusM / COVERAGE_CELLS}::float8`
  // a local area (gaps: one authority's sectors) reads only the venues in reach of it, through
  // the venues' spatial index; the whole country reads them all, without it
  const nearArea = area === 'local' && points.e.length > 0
    ? sql`AND ${venueInGridBox('v', { minE: Math.min(...points.e) - radiusM, minN: Math.min(...points.n) - radiusM,
      maxE: Math.max(...points.e) + radiusM, maxN: Math.max(...points.n) + radiusM })}`
    : sql``
  // not search's bit test (venueMayMatch) for the points: the planner cannot see how many venues
  // pass it, takes it for very few and probes the sessions once per venue, three times slower
  // than one hash join when most venues match (1M schemes: 11.6 s against 3.3 s)
  const rows = await db.transaction((tx) => tx.query<{ i: number }>(sql`
    WITH pt AS MATERIALIZED (
      SELECT v.pt[0] AS e, v.pt[1] AS n, floor(v.pt[0] / ${g})::int AS cx, floor(v.pt[1] / ${g})::int AS cy
      FROM venues v WHERE v.deleted_at IS NULL ${nearArea}
        AND EXISTS (SELECT 1 FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id WHERE ss.venue_id = v.id AND ${matchingSession(f, today, now)})),
    sector AS (SELECT * FROM unnest(${sql.param(points.e)}::float8[], ${sql.param(points.n)}::float8[]) WITH ORDINALITY AS g(e, n, i)),
    -- every cell a sector's circle reaches, and whether it lies wholly inside (its farthest corner within the radius)
    reach AS (
      SELECT s.i, s.e, s.n, cx, cy,
        greatest(abs(cx * ${g} - s.e), abs((cx + 1) * ${g} - s.e)) ^ 2 + greatest(abs(cy * ${g} - s.n), abs((cy + 1) * ${g} - s.n)) ^ 2
          <= ${r} ^ 2 AS inside
      FROM sector s,
        generate_series(floor((s.e - ${r}) / ${g})::int, floor((s.e + ${r}) / ${g})::int) AS cx,
        generate_series(floor((s.n - ${r}) / ${g})::int, floor((s.n + ${r}) / ${g})::int) AS cy
      WHERE greatest(cx * ${g} - s.e, 0, s.e - (cx + 1) * ${g}) ^ 2 + greatest(cy * ${g} - s.n, 0, s.n - (cy + 1) * ${g}) ^ 2 <= ${r} ^ 2),
    occupied AS (SELECT DISTINCT cx, cy FROM pt),
    by_cell AS (SELECT DISTINCT reach.i FROM reach JOIN occupied USING (cx, cy) WHERE reach.inside),
    edge AS (SELECT reach.* FROM reach WHERE NOT reach.inside AND reach.i NOT IN (SELECT i FROM by_cell)),
    by_point AS (SELECT DISTINCT edge.i FROM edge JOIN pt USING (cx, cy) WHERE (point(pt.e, pt.n) <-> point(edge.e, edge.n)) <= ${r})
    SELECT i FROM by_cell UNION ALL SELECT i FROM by_point`), { timeoutMs })
  return rows.map((x) => Number(x.i) - 1)
}

/** Cells per radius in coveredSectors' grid: a sector's circle reaches about 80 cells, some 20 of them wholly. */
const COVERAGE_CELLS = 4

/**
 * Matching schemes and sessions per local authority: a venue is in the main authority of its
 * postcode's sector (`sectors` → `authorities`, from the postcode data); `code` NULL is the
 * whole of Great Britain, each scheme counted once.
 */
export async function matchesByAuthority(db: Db, sectors: SectorAuthorities, f: SearchFilters, today: string, now: Date, timeoutMs?: number):
  Promise<Array<{ code: string | null; schemes: number; sessions: number }>> {
  return db.transaction(async (tx) => {
    // the planner cannot tell how many venues find their sector in `place` and would sort
    // every matching session by sector for a merge join; a hash join needs no sort (1M
    // schemes: about 0.6 s less)
    await tx.query(sql`SET LOCAL enable_mergejoin = off`)
    return tx.query(sql`
    WITH place AS (${sectorAuthorityTable(sectors)})
    SELECT p.code, count(DISTINCT ss.scheme_id)::int AS schemes, count(*)::int AS sessions
    FROM sessions ss JOIN venues v ON v.id = ss.venue_id JOIN schemes s ON s.id = ss.scheme_id
    LEFT JOIN place p ON p.sector = ${venueSector('v')}
    WHERE ${matchingSession(f, today, now)}
    GROUP BY GROUPING SETS ((p.code), ())
    HAVING p.code IS NOT NULL OR GROUPING(p.code) = 1`)
  }, { timeoutMs })
}

/** Each postcode sector's main local authority, as arrays (from src/geo/authorities.ts). */
export interface SectorAuthorities { sector: string[]; authority: string[] }

/** The (sector, code) rows of `sectors`, to join a venue to its authority by venueSector. */
export const sectorAuthorityTable = (sectors: SectorAuthorities) =>
  sql`SELECT * FROM unnest(${sql.param(sectors.sector)}::text[], ${sql.param(sectors.authority)}::text[]) AS p(sector, code)`

/** Venue `v`'s postcode sector ("SE15 4AA" → "SE15 4": postcodes are stored normalised). */
export const venueSector = (v: string) => sql`left(${sql.raw(v)}.postcode, length(${sql.raw(v)}.postcode) - 2)`

/** The directory's generation (migrations/0018): it moves on with every write to schemes, venues or sessions. */
export async function directoryGeneration(db: Db): Promise<string> {
  const [row] = await db.query<{ g: string }>(sql`SELECT last_value::text || ':' || is_called::text AS g FROM directory_generation`)
  return row.g
}
