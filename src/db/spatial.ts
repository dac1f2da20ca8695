import { sql, type SQL } from 'drizzle-orm'

/**
 * The named PostGIS fragments: points, radius, distances, coverage, boxes. Search, ORUK,
 * export and every writer build their spatial SQL from these.
 *
 * Venues keep `location geography(Point,4326)` and a generated `geom geometry(Point,27700)`
 * (British National Grid) with a GiST index. The index is only used when `geom` stands
 * bare on one side of the operator, so the *origin* is transformed to BNG, never the column.
 */

export interface Origin {
  lat: number
  lon: number
}

/**
 * BNG's scale factor stays within 0.9996–1.0012 across Great Britain, so a planar radius
 * 1% larger than the geodesic one (plus a metre) never loses a venue that is inside; the
 * exact geodesic test then decides.
 */
export const PLANAR_MARGIN = 1.01

/** A WGS84 point geometry from longitude and latitude expressions (SQL or numbers, bound as float8). */
export function lonLatPoint(lon: SQL | number, lat: SQL | number): SQL {
  const f = (x: SQL | number) => (typeof x === 'number' ? sql`${x}::float8` : x)
  return sql`ST_SetSRID(ST_MakePoint(${f(lon)}, ${f(lat)}), 4326)`
}

/** The same point as geography: how venues' locations and service-area centres are stored. */
export const lonLatGeography = (lon: SQL | number, lat: SQL | number): SQL => sql`${lonLatPoint(lon, lat)}::geography`

const point4326 = (o: Origin) => lonLatPoint(o.lon, o.lat)

/** The origin as WGS84 geography: exact geodesic distances and coverage. */
export function originGeography(o: Origin): SQL {
  return sql`${point4326(o)}::geography`
}

/** The origin in British National Grid metres: the indexed radius test and ordering. */
export function originGrid(o: Origin): SQL {
  return sql`ST_Transform(${point4326(o)}, 27700)`
}

/**
 * Venue `v` within `radiusM` metres of the origin, exactly at it included: the GiST index
 * on `v.geom` finds candidates in a slightly larger planar circle, then each candidate is
 * tested on the ellipsoid (ST_DWithin on geography, inclusive).
 */
export function venueWithinRadius(v: string, o: Origin, radiusM: number): SQL {
  const col = (c: string) => sql.raw(`${v}.${c}`)
  return sql`ST_DWithin(${col('geom')}, ${originGrid(o)}, ${radiusM * PLANAR_MARGIN + 1}::float8)
    AND ST_DWithin(${col('location')}, ${originGeography(o)}, ${radiusM}::float8, true)`
}

/**
 * A planar distance at most this fraction of the radius is inside it on the ellipsoid too
 * (geodesic = planar / scale factor, and the factor is at least 0.9996): only venues near
 * the edge need the exact geodesic test.
 */
export const PLANAR_INSIDE = 0.99

/**
 * Venue `v`, at planar distance `pd` from the origin, is within `radiusM` metres on the
 * ellipsoid (the edge included); the geodesic test runs only near the edge.
 */
export function venueInGeodesicRadius(v: string, pd: SQL, o: Origin, radiusM: number): SQL {
  return sql`(${pd} <= ${radiusM * PLANAR_INSIDE}::float8
    OR ST_DWithin(${sql.raw(`${v}.location`)}, ${originGeography(o)}, ${radiusM}::float8, true))`
}

/**
 * The converse of venueInGeodesicRadius, exactly: venue `v` lies beyond `radiusM` metres on the
 * ellipsoid. Past the planar circle with its margin it is beyond without the geodesic test.
 */
export function venueBeyondGeodesicRadius(v: string, pd: SQL, o: Origin, radiusM: number): SQL {
  return sql`(${pd} > ${radiusM * PLANAR_INSIDE}::float8
    AND (${pd} > ${radiusM * PLANAR_MARGIN + 1}::float8 OR NOT ST_DWithin(${sql.raw(`${v}.location`)}, ${originGeography(o)}, ${radiusM}::float8, true)))`
}

/**
 * The origin's BNG point as a plain `point`, to meet the venues' `pt` (migrations/0008): the
 * GiST index on `pt` returns it with the search bits beside it, without reading the row.
 */
export function originPoint(o: Origin): SQL {
  return sql`point(ST_X(${originGrid(o)}), ST_Y(${originGrid(o)}))`
}

/**
 * Planar BNG distance from venue `v` to the origin over `pt`: search's nearest-first sort key
 * and cursor, the same number wherever it is computed (scan, nearer-venue test, page).
 */
export function venuePointDistance(v: string, o: Origin): SQL {
  return sql`(${sql.raw(`${v}.pt`)} <-> ${originPoint(o)})`
}

/** The square around the origin, `half` metres each side, that holds a planar circle: `pt`'s index condition. */
export function pointBox(o: Origin, half: SQL): SQL {
  const [x, y] = [sql`ST_X(${originGrid(o)})`, sql`ST_Y(${originGrid(o)})`]
  return sql`box(point(${x} - ${half}, ${y} - ${half}), point(${x} + ${half}, ${y} + ${half}))`
}

/** Venue `v`'s BNG point inside a box of grid metres, edges included, through the GiST index on `pt`. */
export function venueInGridBox(v: string, b: { minE: number; minN: number; maxE: number; maxN: number }): SQL {
  return sql`(${sql.raw(`${v}.pt`)} <@ box(point(${b.minE}::float8, ${b.minN}::float8), point(${b.maxE}::float8, ${b.maxN}::float8)))`
}

/** Planar BNG distance from venue `v` to the origin: the nearest-first sort key. */
export function venuePlanarDistance(v: string, o: Origin): SQL {
  return sql`(${sql.raw(`${v}.geom`)} <-> ${originGrid(o)})`
}

/** Geodesic distance in metres on the WGS84 spheroid from venue `v`: `distance_m`. */
export function venueGeodesicDistance(v: string, o: Origin): SQL {
  return sql`ST_Distance(${sql.raw(`${v}.location`)}, ${originGeography(o)}, true)`
}

/**
 * Does scheme `s`'s service area cover the origin? national: everywhere; radius: the
 * geodesic distance from its centre is at most radius_m; polygon: the shape covers the
 * point (its boundary included). No service area covers nothing.
 */
export function serviceAreaCovers(s: string, o: Origin): SQL {
  const col = (c: string) => sql.raw(`${s}.${c}`)
  return sql`(CASE ${col('area_type')}
    WHEN 'national' THEN true
    WHEN 'radius' THEN ST_DWithin(${col('area_center')}, ${originGeography(o)}, ${col('area_radius_m')}::float8, true)
    WHEN 'polygon' THEN ST_Covers(${col('area_shape')}, ${originGeography(o)})
    ELSE false END)`
}

export interface BBox { minLon: number; minLat: number; maxLon: number; maxLat: number }

/**
 * Venue `v` inside a WGS84 box, edges included: a planar lon/lat comparison, exact at the
 * edges, through the GiST index on `location::geometry` (migrations/0010) — the expression
 * stands as the index holds it, so the index serves it.
 */
export function venueInBox(v: string, b: BBox): SQL {
  return sql`(${sql.raw(`${v}.location`)}::geometry) && ST_MakeEnvelope(${b.minLon}::float8, ${b.minLat}::float8, ${b.maxLon}::float8, ${b.maxLat}::float8, 4326)`
}
