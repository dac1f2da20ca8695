import type { FastifyRequest } from 'fastify'

/** Query parameters that place a patient: never logged. */
const PRIVATE_PARAMS = new Set(['postcode', 'lat', 'lon', 'proximity'])

/** The URL with the values of postcode, lat and lon (any case) replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const parts = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded = name
    try { decoded = decodeURIComponent(name.replace(/\+/g, ' ')) } catch { /* keep as is */ }
    return PRIVATE_PARAMS.has(decoded.trim().toLowerCase()) ? `${name}=[redacted]` : pair
  })
  return url.slice(0, q + 1) + parts.join('&')
}

export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.key', 'key'], censor: '[redacted]' },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: redactUrl(req.url), remoteAddress: req.ip, requestId: req.id }
      },
    },
  }
}
