import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
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
 * `radiusM`. In one transaction: the matching venues' BNG points (`pt`) are gathered once,
 * in one pass of search's own rules, into a temporary table with a GiST index; then each
 * sector asks that index for any point in its radius and stops at the first. The cost is one
 * scan of the matching sessions plus 10,847 index probes, whatever the filters (a narrow filter
 * gathers few points; no filter, many, but each probe then ends at once).
 * Planar BNG metres: within 0.1% of the ellipsoid across GB (src/db/spatial.ts).
 */
export async function coveredSectors(db: Db, points: { e: number[]; n: number[] }, radiusM: number, f: SearchFilters, today: string, now: Date):
  Promise<number[]> {
  const r = sql`${radiusM}::float8`
  return db.transaction(async (tx) => {
    await tx.query(sql`CREATE TEMPORARY TABLE coverage_points (pt point NOT NULL) ON COMMIT DROP`)
    // each venue once, as soon as one of its sessions matches (a semi-join: no sort of the
    // sessions). Not search's bit test (venueMayMatch): the planner cannot see how many venues
    // pass it, takes it for very few and probes the sessions once per venue, three times slower
    // than one hash join when most venues match (1M schemes: 11.6 s against 3.3 s).
    await tx.query(sql`INSERT INTO coverage_points
      SELECT v.pt FROM venues v WHERE v.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id WHERE ss.venue_id = v.id AND ${matchingSession(f, today, now)})`)
    await tx.query(sql`CREATE INDEX ON coverage_points USING gist (pt)`)
    await tx.query(sql`ANALYZE coverage_points`)
    const rows = await tx.query<{ i: number }>(sql`
      SELECT g.i FROM unnest(${sql.param(points.e)}::float8[], ${sql.param(points.n)}::float8[]) WITH ORDINALITY AS g(e, n, i)
      WHERE EXISTS (SELECT 1 FROM coverage_points c
        WHERE c.pt <@ box(point(g.e - ${r}, g.n - ${r}), point(g.e + ${r}, g.n + ${r})) AND (c.pt <-> point(g.e, g.n)) <= ${r})`)
    return rows.map((x) => Number(x.i) - 1)
  })
}

/**
 * Matching schemes and sessions per local authority: a venue is in the main authority of its
 * postcode's sector (`sectors` → `authorities`, from the postcode data); `code` NULL is the
 * whole of Great Britain, each scheme counted once.
 */
export async function matchesByAuthority(db: Db, sectors: SectorAuthorities, f: SearchFilters, today: string, now: Date):
  Promise<Array<{ code: string | null; schemes: number; sessions: number }>> {
  return db.query(sql`
    WITH place AS (${sectorAuthorityTable(sectors)})
    SELECT p.code, count(DISTINCT ss.scheme_id)::int AS schemes, count(*)::int AS sessions
    FROM sessions ss JOIN venues v ON v.id = ss.venue_id JOIN schemes s ON s.id = ss.scheme_id
    LEFT JOIN place p ON p.sector = ${venueSector('v')}
    WHERE ${matchingSession(f, today, now)}
    GROUP BY GROUPING SETS ((p.code), ())
    HAVING p.code IS NOT NULL OR GROUPING(p.code) = 1`)
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
