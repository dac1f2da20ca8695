/**
 * Builds src/geo/data/ from the OS Code-Point Open centroids in ../shared/data/uk-postcode-centroids
 * (or the folder given as the first argument): copies outcodes.csv and sectors.csv as they are
 * and packs the 1.7M full postcodes into postcodes.bin.gz (see src/geo/postcode-format.ts).
 * Run: npx tsx scripts/build-postcodes.ts [source-folder]
 */
import { createReadStream, readFileSync, writeFileSync, statSync } from 'node:fs'
import { createGunzip, gzipSync, constants } from 'node:zlib'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { encode, postcodeKey, SCALE } from '../src/geo/postcode-format.ts'
import { normalisePostcode } from '../src/geo/postcodes.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = process.argv[2] ?? join(root, '../shared/data/uk-postcode-centroids')
const target = join(root, 'src/geo/data')

for (const f of ['outcodes.csv', 'sectors.csv']) {
  const text = readFileSync(join(source, f), 'utf8')
  const bad = text.split('\n').slice(1).filter((l) => l && !normalisePostcode(l.split(',')[0]))
  if (bad.length) throw new Error(`${f}: ${bad.length} codes fail the shape check, e.g. ${bad[0]}`)
  writeFileSync(join(target, f), text)
}

const rows: Array<[number, number, number]> = []
const lines = createInterface({ input: createReadStream(join(source, 'postcodes_gb.csv.gz')).pipe(createGunzip()) })
let header = true
let refused = 0
for await (const line of lines) {
  if (header) { header = false; continue }
  const [postcode, lat, lon] = line.split(',')
  // every unit must pass the same shape check that searches use, or it could never be found
  const n = normalisePostcode(postcode)
  if (n?.kind !== 'postcode' || n.text !== postcode) { refused++; console.error(`refused: ${postcode}`); continue }
  rows.push([postcodeKey(postcode.replace(' ', '')), Math.round(Number(lat) * SCALE), Math.round(Number(lon) * SCALE)])
}
rows.sort((a, b) => a[0] - b[0])
for (let i = 1; i < rows.length; i++) if (rows[i][0] === rows[i - 1][0]) throw new Error(`duplicate key at row ${i}`)

const keys = Float64Array.from(rows, (r) => r[0])
const lat = Int32Array.from(rows, (r) => r[1])
const lon = Int32Array.from(rows, (r) => r[2])
// level 9 and no timestamp: rebuilding from the same source gives the same bytes
const gz = gzipSync(encode(keys, lat, lon), { level: constants.Z_BEST_COMPRESSION })
writeFileSync(join(target, 'postcodes.bin.gz'), gz)
console.log(`${rows.length} postcodes (${refused} refused), postcodes.bin.gz ${(statSync(join(target, 'postcodes.bin.gz')).size / 1e6).toFixed(1)} MB`)
