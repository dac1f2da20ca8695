/**
 * Builds the local-authority files of src/geo/data/ from ../shared/data/uk-local-authorities
 * (or the folder given as the first argument): copies local_authorities.csv and
 * sector_authorities.csv as they are, and packs the authority of each of the 1.7M full
 * postcodes into postcode_authorities.bin.gz, in the order of postcodes.bin.gz's keys
 * (src/geo/authority-format.ts). Run after scripts/build-postcodes.ts:
 * npx tsx scripts/build-authorities.ts [source-folder]
 */
import { createReadStream, readFileSync, writeFileSync, statSync } from 'node:fs'
import { createGunzip, gunzipSync, gzipSync, constants } from 'node:zlib'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { decode, find, postcodeKey } from '../src/geo/postcode-format.ts'
import { encodeAuthorities } from '../src/geo/authority-format.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = process.argv[2] ?? join(root, '../shared/data/uk-local-authorities')
const target = join(root, 'src/geo/data')

for (const f of ['local_authorities.csv', 'sector_authorities.csv']) writeFileSync(join(target, f), readFileSync(join(source, f)))
const codes = readFileSync(join(source, 'local_authorities.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0])
const index = new Map(codes.map((c, i) => [c, i]))

const table = decode(gunzipSync(readFileSync(join(target, 'postcodes.bin.gz'))))
const authority = new Uint16Array(table.keys.length).fill(0xffff)
const lines = createInterface({ input: createReadStream(join(source, 'postcode_authorities.csv.gz')).pipe(createGunzip()) })
let header = true
let rows = 0
for await (const line of lines) {
  if (header) { header = false; continue }
  const [postcode, code] = line.split(',')
  const i = find(table.keys, postcodeKey(postcode.replace(' ', '')))
  const a = index.get(code)
  if (i < 0 || a === undefined) throw new Error(`${postcode},${code}: not in postcodes.bin.gz or local_authorities.csv`)
  authority[i] = a
  rows++
}
const missing = authority.findIndex((a) => a === 0xffff)
if (missing >= 0 || rows !== authority.length) throw new Error(`${rows} rows for ${authority.length} postcodes; first without an authority: ${missing}`)
// level 9 and no timestamp: rebuilding from the same source gives the same bytes
writeFileSync(join(target, 'postcode_authorities.bin.gz'), gzipSync(encodeAuthorities(authority), { level: constants.Z_BEST_COMPRESSION }))
console.log(`${rows} postcodes in ${codes.length} authorities, postcode_authorities.bin.gz ${(statSync(join(target, 'postcode_authorities.bin.gz')).size / 1e6).toFixed(2)} MB`)
