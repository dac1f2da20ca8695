export { escapePointer, isUuid } from '../domain/ids.ts'
// Cell and field readers shared by the CSV and ORUK readers. Each returns the parsed value,
// or the raw text when it cannot be parsed, so that the API's own rules report it in their
// words at the right field.

const TRUE = new Set(['true', 'yes', 'y', '1'])
const FALSE = new Set(['false', 'no', 'n', '0'])

export function bool(s: string): boolean | string {
  const v = s.trim().toLowerCase()
  if (TRUE.has(v)) return true
  if (FALSE.has(v)) return false
  return s
}

export function int(s: string): number | string {
  const v = s.trim()
  return /^-?\d+$/.test(v) ? Number(v) : s
}

export function num(s: string): number | string {
  const v = s.trim()
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : s
}

/** '3.50', '£3.50', '3' → pence; undefined when it is not an amount. */
export function pence(s: string): number | undefined {
  const v = s.trim().replace(/^£\s*/, '')
  return /^\d+(\.\d{1,2})?$/.test(v) ? Math.round(Number(v) * 100) : undefined
}

/** 'HH:MM', 'H:MM', 'HH:MM:SS', with a trailing Z or +00:00 → 'HH:MM'; undefined otherwise. */
export function time(s: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim())
  if (!m) return undefined
  return `${m[1].padStart(2, '0')}:${m[2]}`
}


/** Stable JSON: keys sorted, so documents can be compared whatever order their keys came in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as any)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}
