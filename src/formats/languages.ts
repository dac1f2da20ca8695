// ISO 639-1 codes and their English names, from the runtime's own language data.
const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
const byName = new Map<string, string>()
const codes = new Set<string>()
for (let a = 97; a <= 122; a++) {
  for (let b = 97; b <= 122; b++) {
    const code = String.fromCharCode(a, b)
    const name = names.of(code)
    if (name && name.toLowerCase() !== code) {
      codes.add(code)
      byName.set(name.toLowerCase(), code)
    }
  }
}
byName.set('british sign language', 'bsl')

/** 'cy', 'CY', 'Welsh', 'British Sign Language', 'bsl' → the Signpost code; undefined when unknown. */
export function languageCode(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined
  const s = input.trim().toLowerCase()
  if (s === 'bsl') return 'bsl'
  if (codes.has(s)) return s
  return byName.get(s)
}
