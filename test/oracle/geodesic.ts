/**
 * Geodesics on the WGS84 ellipsoid by Vincenty's formulae (1975), written here for the
 * search oracle so that its distances owe nothing to PostGIS. Accurate to well under a
 * millimetre for the distances a search meets (nearly antipodal points are never used).
 */
const a = 6378137
const f = 1 / 298.257223563
const b = a * (1 - f)
const rad = (d: number) => (d * Math.PI) / 180
const deg = (r: number) => (r * 180) / Math.PI

export interface LatLon { lat: number; lon: number }

/** Geodesic distance in metres between two points. */
export function distance(p: LatLon, q: LatLon): number {
  const L = rad(q.lon - p.lon)
  const U1 = Math.atan((1 - f) * Math.tan(rad(p.lat)))
  const U2 = Math.atan((1 - f) * Math.tan(rad(q.lat)))
  const sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2)
  let lambda = L
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda), cosL = Math.cos(lambda)
    const sinSigma = Math.sqrt((cosU2 * sinL) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) ** 2)
    if (sinSigma === 0) return 0
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL
    const sigma = Math.atan2(sinSigma, cosSigma)
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma
    const cos2Alpha = 1 - sinAlpha * sinAlpha
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
    const prev = lambda
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)))
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (a * a - b * b)) / (b * b)
      const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
      const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
      const dSigma = B * sinSigma * (cos2SigmaM + (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)))
      return b * A * (sigma - dSigma)
    }
  }
  throw new Error('Vincenty did not converge')
}

/** The point `metres` away from `p` on the initial bearing `bearingDeg` (clockwise from north). */
export function destination(p: LatLon, bearingDeg: number, metres: number): LatLon {
  const alpha1 = rad(bearingDeg)
  const sinA1 = Math.sin(alpha1), cosA1 = Math.cos(alpha1)
  const tanU1 = (1 - f) * Math.tan(rad(p.lat))
  const cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1), sinU1 = tanU1 * cosU1
  const sigma1 = Math.atan2(tanU1, cosA1)
  const sinAlpha = cosU1 * sinA1
  const cos2Alpha = 1 - sinAlpha * sinAlpha
  const u2 = (cos2Alpha * (a * a - b * b)) / (b * b)
  const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
  const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
  let sigma = metres / (b * A)
  let cos2SigmaM = 0, sinSigma = 0, cosSigma = 0
  for (let i = 0; i < 200; i++) {
    cos2SigmaM = Math.cos(2 * sigma1 + sigma)
    sinSigma = Math.sin(sigma)
    cosSigma = Math.cos(sigma)
    const dSigma = B * sinSigma * (cos2SigmaM + (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)))
    const prev = sigma
    sigma = metres / (b * A) + dSigma
    if (Math.abs(sigma - prev) < 1e-12) break
  }
  cos2SigmaM = Math.cos(2 * sigma1 + sigma)
  sinSigma = Math.sin(sigma)
  cosSigma = Math.cos(sigma)
  const x = sinU1 * sinSigma - cosU1 * cosSigma * cosA1
  const lat = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosA1, (1 - f) * Math.sqrt(sinAlpha * sinAlpha + x * x))
  const lambda = Math.atan2(sinSigma * sinA1, cosU1 * cosSigma - sinU1 * sinSigma * cosA1)
  const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
  const L = lambda - (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)))
  return { lat: deg(lat), lon: p.lon + deg(L) }
}
