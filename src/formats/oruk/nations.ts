import { readFile } from 'node:fs/promises'

// The postcode districts file that geocoding reads also names each district's nation.
const OUTCODES = new URL('../../geo/data/outcodes.csv', import.meta.url)
let loaded: Promise<Map<string, string>> | undefined

async function read(): Promise<Map<string, string>> {
  const text = await readFile(OUTCODES, 'utf8')
  const lines = text.split(/\r?\n/)
  const col = lines[0].split(',').indexOf('country')
  const map = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const f = line.split(',')
    if (f.length > col && f[col]) map.set(f[0], f[col].trim())
  }
  return map
}

/** postcode → 'England' | 'Scotland' | 'Wales' | 'Northern Ireland', or undefined when unknown. */
export async function loadNations(): Promise<(postcode: string) => string | undefined> {
  loaded ??= read().catch((err) => { loaded = undefined; throw err })
  const map = await loaded
  return (postcode: string) => {
    const outward = postcode.trim().toUpperCase().replace(/\s+/g, ' ').split(' ')[0]
    const compact = postcode.replace(/\s+/g, '').toUpperCase()
    const key = postcode.includes(' ') ? outward : compact.slice(0, -3)
    if (/^BT/.test(key)) return 'Northern Ireland'
    return map.get(key)
  }
}
