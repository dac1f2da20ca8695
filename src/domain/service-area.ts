import type { ProblemItem } from '../errors.ts'

/** A service area's rules (SPEC §2, issue 12): its type's fields, its GeoJSON and its size. */

type Doc = Record<string, any>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: Doc, k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined

/**
 * A polygon service area is stored whole and shown whole by GET /v1/schemes/{id}, its
 * history and GET /v1/schemes/{id}/service_area: bounded so that those answers are
 * (docs/security.md, "Response sizes"). 2,000 positions follow a county's outline closely
 * enough for "does this scheme serve me"; 100 KB of compact GeoJSON holds them.
 */
export const SERVICE_AREA_LIMITS = { positions: 2000, bytes: 100_000 } as const

function positionCount(coordinates: unknown, depth: number): number {
  if (!Array.isArray(coordinates)) return 0
  if (depth === 0) return 1
  let n = 0
  for (const c of coordinates) n += positionCount(c, depth - 1)
  return n
}

export function geometrySizeProblems(g: Doc, at: string): ProblemItem[] {
  const out: ProblemItem[] = []
  const positions = positionCount(g.coordinates, g.type === 'MultiPolygon' ? 3 : 2)
  if (positions > SERVICE_AREA_LIMITS.positions) {
    out.push({ pointer: `${at}/coordinates`, message: `must have at most ${SERVICE_AREA_LIMITS.positions} positions in all (it has ${positions}): simplify the outline` })
  }
  const bytes = Buffer.byteLength(JSON.stringify(g))
  if (bytes > SERVICE_AREA_LIMITS.bytes) {
    out.push({ pointer: at,
      message: `must be at most ${SERVICE_AREA_LIMITS.bytes / 1000} KB of GeoJSON (it is ${Math.ceil(bytes / 1000)} KB): simplify the outline` })
  }
  return out
}

export function serviceAreaProblems(area: Doc): ProblemItem[] {
  const out: ProblemItem[] = []
  const need = (field: string,
    type: string) => { if (!has(area, field)) out.push({ pointer: `/service_area/${field}`, message: `is required for a ${type} service area` }) }
  const refuse = (field: string,
    type: string) => { if (has(area, field)) out.push({ pointer: `/service_area/${field}`, message: `is not used by a ${type} service area` }) }
  switch (area.type) {
    case 'national': refuse('center', 'national'); refuse('radius_m', 'national'); refuse('geometry', 'national'); break
    case 'radius': need('center', 'radius'); need('radius_m', 'radius'); refuse('geometry', 'radius'); break
    case 'polygon':
      need('geometry', 'polygon'); refuse('center', 'polygon'); refuse('radius_m', 'polygon')
      if (isObject(area.geometry)) {
        const size = geometrySizeProblems(area.geometry, '/service_area/geometry')
        // an oversized outline is not walked position by position
        out.push(...(size.length > 0 ? size : geometryProblems(area.geometry, '/service_area/geometry')))
      }
      break
  }
  return out
}

/**
 * GeoJSON Polygon / MultiPolygon structure: rings of at least four [lon, lat] positions,
 * closed (last = first). Whether the shape is valid (no self-crossing) is PostGIS's call:
 * see the schemes repository. Stops after a few problems: one bad ring can have thousands.
 */
export function geometryProblems(g: Doc, at: string): ProblemItem[] {
  const out: ProblemItem[] = []
  const polygons: Array<[unknown, string]> = g.type === 'MultiPolygon'
    ? (Array.isArray(g.coordinates) ? g.coordinates.map((p: unknown, i: number) => [p, `${at}/coordinates/${i}`] as [unknown, string]) : [])
    : g.type === 'Polygon' ? [[g.coordinates, `${at}/coordinates`]] : []
  for (const [polygon, p] of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) { out.push({ pointer: p, message: 'must be a non-empty array of linear rings' }); continue }
    polygon.forEach((ring: unknown, r: number) => {
      const rp = `${p}/${r}`
      if (!Array.isArray(ring) || ring.length < 4) { out.push({ pointer: rp,
        message: 'must be a linear ring: an array of at least 4 [lon, lat] positions' }); return }
      let bad = false
      ring.forEach((pos: unknown, k: number) => {
        if (bad) return
        if (!Array.isArray(pos) || pos.length !== 2 || !pos.every((n) => typeof n === 'number' && Number.isFinite(n))) {
          out.push({ pointer: `${rp}/${k}`, message: 'must be a position [lon, lat] of two numbers' }); bad = true
        } else if (Math.abs(pos[0]) > 180 || Math.abs(pos[1]) > 90) {
          out.push({ pointer: `${rp}/${k}`, message: 'must be [lon, lat] with lon within ±180 and lat within ±90' }); bad = true
        }
      })
      if (!bad) {
        const [a, b] = [ring[0] as number[], ring[ring.length - 1] as number[]]
        if (a[0] !== b[0] || a[1] !== b[1]) out.push({ pointer: rp, message: 'must be closed: its last position must equal its first' })
      }
    })
    if (out.length >= 10) break
  }
  return out
}

/** True when geometryProblems found nothing and the geometry can go to PostGIS. */
export function isWellFormedGeometry(g: unknown): boolean {
  return isObject(g) && (g.type === 'Polygon' || g.type === 'MultiPolygon') && geometrySizeProblems(g, '').length === 0 && geometryProblems(g, '').length === 0
}
