import type { FastifyRequest } from 'fastify'

/** Query parameters that place a patient: never logged (`back`: a search page's way back to its search, postcode and all). */
const PRIVATE_PARAMS = new Set(['postcode', 'lat', 'lon', 'proximity', 'back'])
/** A parameter or field name that cannot hold a postcode or a coordinate: letters and _ only. */
const PLAIN_NAME = /^[A-Za-z_]{1,64}$/

/**
 * A parameter name or JSON pointer safe to log: a segment that is not a plain name (or a
 * small array index) might itself be a postcode or coordinates sent as a name, so it is
 * replaced.
 */
export function loggableName(name: string): string {
  return name.split('/').map((seg) => (seg === '' || PLAIN_NAME.test(seg) || /^\d{1,4}$/.test(seg) ? seg : '[redacted]')).join('/')
}

/**
 * The URL, a confirmation link's token replaced, with the values of postcode, lat, lon and proximity (any case) replaced, and of
 * every parameter no route declares (`declared`; none when it is not given): an unknown or
 * misspelt one (postcode_x, postcode%) may carry the same data. Names that are
 * not plain names are replaced too.
 */
export function redactUrl(sent: string, declared: ReadonlySet<string> = new Set()): string {
  // a confirmation link's token is a credential (src/routes/confirm.ts): never logged
  const url = sent.replace(/^\/confirm\/[^/?#]*/, '/confirm/[redacted]')
  const q = url.indexOf('?')
  if (q < 0) return url
  const parts = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded: string | undefined
    try { decoded = decodeURIComponent(name.replace(/\+/g, ' ')) } catch { /* not a name to show */ }
    if (decoded === undefined || !PLAIN_NAME.test(decoded)) return '[redacted]=[redacted]'
    if (PRIVATE_PARAMS.has(decoded.toLowerCase()) || !declared.has(decoded)) return eq < 0 ? name : `${name}=[redacted]`
    return pair
  })
  return url.slice(0, q + 1) + parts.join('&')
}

/**
 * `declared`: the query parameters the API's routes declare (src/app.ts fills it as routes
 * are added); a value is logged only under one of those names.
 */
export function loggerOptions(level: string, declared: ReadonlySet<string> = new Set()) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.key', 'key'], censor: '[redacted]' },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: redactUrl(req.url, declared), remoteAddress: req.ip, requestId: req.id }
      },
    },
  }
}
