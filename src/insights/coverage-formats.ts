import type { AuthorityData } from '../geo/authorities.ts'
import type { Coverage } from './coverage.ts'

/** Coverage as CSV rows, GeoJSON and an SVG dot map. */

export const COVERAGE_COLUMNS = ['code', 'name', 'nation', 'schemes', 'sessions', 'postcodes', 'covered_postcodes', 'covered_share'] as const

export function coverageCsvRows(c: Coverage): Array<Array<string | number>> {
  return [[...COVERAGE_COLUMNS], ...c.authorities.map((a) => COVERAGE_COLUMNS.map((k) => a[k]))]
}

/** One point per authority at the mean of its postcodes (RFC 7946: lon, lat). */
export function coverageGeoJson(d: AuthorityData, c: Coverage) {
  return {
    type: 'FeatureCollection' as const,
    features: c.authorities.map((a) => {
      const at = d.byCode.get(a.code)!
      return { type: 'Feature' as const, id: a.code, geometry: { type: 'Point' as const, coordinates: [at.lon, at.lat] }, properties: a }
    }),
  }
}

const COVERED = '#1a7f4b'
const NOT_COVERED = '#d4572a'
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * A dot map of Great Britain: one dot per postcode sector at its centroid in British National
 * Grid metres (x east, y north, drawn in km with north up), green when covered, orange when
 * not; a legend, the filters in the title and the data's attribution.
 */
export function coverageSvg(d: AuthorityData, c: Coverage): string {
  const W = 700
  const H = 1250
  const top = 60
  const dots = (flag: number, colour: string) => {
    const out: string[] = []
    d.sectors.forEach((s, i) => {
      if (c.covered[i] !== flag) return
      out.push(`<circle class="sector" cx="${(s.easting / 1000).toFixed(1)}" cy="${(top + H - s.northing / 1000).toFixed(1)}" r="1.3"/>`)
    })
    return `<g fill="${colour}" class="${flag ? 'covered' : 'not-covered'}">${out.join('')}</g>`
  }
  const covered = c.covered.reduce((n, x) => n + x, 0)
  const title = `Coverage within ${c.radius_m / 1000} km: ${c.filters ? c.filters.replace(/&/g, ', ') : 'all schemes'} (${c.today})`
  const share = `${(c.total.covered_share * 100).toFixed(1)}% of GB postcodes covered`
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H + top + 40}" width="${W}" height="${H + top + 40}" font-family="sans-serif">
<title>${escape(title)}</title>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="24" font-size="18" font-weight="bold">${escape(title)}</text>
<text x="10" y="46" font-size="14">${escape(share)}</text>
${dots(0, NOT_COVERED)}
${dots(1, COVERED)}
<g class="legend" font-size="14" transform="translate(450 120)">
<rect x="-10" y="-22" width="240" height="64" fill="#ffffff" stroke="#888888"/>
<circle cx="0" cy="-6" r="6" fill="${COVERED}"/><text x="14" y="-1">covered (${covered} sectors)</text>
<circle cx="0" cy="22" r="6" fill="${NOT_COVERED}"/><text x="14" y="27">not covered (${c.covered.length - covered} sectors)</text>
</g>
<text x="10" y="${H + top + 30}" font-size="11">One dot per postcode sector. Contains OS data © Crown copyright and database right 2025; Royal Mail data © Royal Mail copyright and database right 2025; National Statistics data © Crown copyright and database right 2025.</text>
</svg>
`
}
