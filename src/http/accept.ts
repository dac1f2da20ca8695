/**
 * Content negotiation for GET /: a browser gets the search page, every other client the
 * API's JSON, as before. HTML only when the client prefers it: text/html (or XHTML) has a
 * higher quality than application/json, each read from its most specific range in Accept
 * (RFC 9110 §12.5.1). A tie, a lone wildcard or no Accept at all keep JSON: the API's clients
 * must not be surprised by a page.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false
  const ranges = parseAccept(accept)
  const html = Math.max(quality(ranges, 'text', 'html'), quality(ranges, 'application', 'xhtml+xml'))
  return html > 0 && html > quality(ranges, 'application', 'json')
}

interface Range { type: string; subtype: string; q: number }

function parseAccept(header: string): Range[] {
  const out: Range[] = []
  for (const part of header.split(',')) {
    const [media, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    const m = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/.exec(media ?? '')
    if (!m) continue
    let q = 1
    for (const p of params) {
      const qm = /^q\s*=\s*([01](\.\d{0,3})?)$/.exec(p)
      if (qm) q = Math.min(1, Number(qm[1]))
    }
    out.push({ type: m[1], subtype: m[2], q })
  }
  return out
}

/** The quality of a media type: from its exact range, else its type's wildcard, else the full wildcard; 0 when none names it. */
function quality(ranges: Range[], type: string, subtype: string): number {
  const exact = ranges.filter((r) => r.type === type && r.subtype === subtype)
  if (exact.length) return Math.max(...exact.map((r) => r.q))
  const partial = ranges.filter((r) => r.type === type && r.subtype === '*')
  if (partial.length) return Math.max(...partial.map((r) => r.q))
  const any = ranges.filter((r) => r.type === '*' && r.subtype === '*')
  return any.length ? Math.max(...any.map((r) => r.q)) : 0
}
