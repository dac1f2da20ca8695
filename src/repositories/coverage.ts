import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { inPersonAccess, schemeMatches, sessionMatches, venueMayMatch } from '../search/filters.ts'
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

/** At most this many matching venues: the sectors are tested against them directly; more, and each sector probes the index. */
export const FEW_VENUES = 500

/**
 * Which sector centroids (BNG easting/northing, by index) have a matching venue within
 * `radiusM`, in one statement with two branches, of which one runs:
 * - `few`: up to FEW_VENUES matching venues (a narrow filter, a small directory): each sector
 *   against those points, with no index: at most FEW_VENUES × 10,847 planar distances;
 * - otherwise one probe a sector through the GiST index on the venues' BNG point `pt`, whose
 *   search bits rule most venues out inside the index (venueMayMatch); the first matching
 *   session ends the probe.
 * Planar BNG metres: within 0.1% of the ellipsoid across GB (src/db/spatial.ts).
 */
export async function coveredSectors(db: Db, points: { e: number[]; n: number[] }, radiusM: number, f: SearchFilters, today: string, now: Date):
  Promise<number[]> {
  const r = sql`${radiusM}::float8`
  const rows = await db.query<{ i: number }>(sql`
    WITH g AS MATERIALIZED (SELECT * FROM unnest(${sql.param(points.e)}::float8[], ${sql.param(points.n)}::float8[]) WITH ORDINALITY AS g(e, n, i)),
    mv AS MATERIALIZED (SELECT v.id, v.pt FROM venues v JOIN sessions ss ON ss.venue_id = v.id JOIN schemes s ON s.id = ss.scheme_id
      WHERE ${matchingSession(f, today, now)} GROUP BY v.id LIMIT ${FEW_VENUES + 1}),
    few AS (SELECT count(*) <= ${FEW_VENUES} AS yes FROM mv)
    SELECT g.i FROM g WHERE (SELECT yes FROM few)
      AND (SELECT true FROM mv WHERE abs(mv.pt[0] - g.e) <= ${r} AND abs(mv.pt[1] - g.n) <= ${r} AND (mv.pt <-> point(g.e, g.n)) <= ${r} LIMIT 1) IS NOT NULL
    UNION ALL
    SELECT g.i FROM g WHERE NOT (SELECT yes FROM few)
      AND (SELECT true FROM venues v JOIN sessions ss ON ss.venue_id = v.id JOIN schemes s ON s.id = ss.scheme_id
        WHERE v.pt <@ box(point(g.e - ${r}, g.n - ${r}), point(g.e + ${r}, g.n + ${r})) AND ${venueMayMatch('v', f)}
          AND (v.pt <-> point(g.e, g.n)) <= ${r} AND ${matchingSession(f, today, now)}
        LIMIT 1) IS NOT NULL`)
  return rows.map((x) => Number(x.i) - 1)
}

/**
 * Matching schemes and sessions per local authority: a venue is in the main authority of its
 * postcode's sector (`sectors` → `authorities`, from the postcode data); `code` NULL is the
 * whole of Great Britain, each scheme counted once.
 */
export async function matchesByAuthority(db: Db, sectors: { sector: string[]; authority: string[] }, f: SearchFilters, today: string, now: Date):
  Promise<Array<{ code: string | null; schemes: number; sessions: number }>> {
  return db.query(sql`
    WITH place AS (SELECT * FROM unnest(${sql.param(sectors.sector)}::text[], ${sql.param(sectors.authority)}::text[]) AS p(sector, code))
    SELECT p.code, count(DISTINCT ss.scheme_id)::int AS schemes, count(*)::int AS sessions
    FROM sessions ss JOIN venues v ON v.id = ss.venue_id JOIN schemes s ON s.id = ss.scheme_id
    LEFT JOIN place p ON p.sector = left(v.postcode, length(v.postcode) - 2)
    WHERE ${matchingSession(f, today, now)}
    GROUP BY GROUPING SETS ((p.code), ())
    HAVING p.code IS NOT NULL OR GROUPING(p.code) = 1`)
}

/** The directory's generation (migrations/0018): it moves on with every write to schemes, venues or sessions. */
export async function directoryGeneration(db: Db): Promise<string> {
  const [row] = await db.query<{ g: string }>(sql`SELECT last_value::text || ':' || is_called::text AS g FROM directory_generation`)
  return row.g
}
