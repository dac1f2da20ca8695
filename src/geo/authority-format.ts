/**
 * The compact form of each full postcode's local authority (src/geo/data/postcode_authorities.bin.gz),
 * shared by scripts/build-authorities.ts (writer) and authorities.ts (reader). Entry i is the
 * authority of postcodes.bin.gz's i-th key, as an index into local_authorities.csv's rows.
 * Neighbouring postcodes nearly always share an authority, so the file holds runs:
 * 'SPA1', count (uint32 LE), then (run length, authority index) pairs as LEB128 varints.
 */
import { varintReader } from './postcode-format.ts'

export const MAGIC = 'SPA1'

export function encodeAuthorities(authority: Uint16Array): Buffer {
  const out: number[] = []
  const varint = (v: number) => {
    while (v >= 128) { out.push((v % 128) | 128); v = Math.floor(v / 128) }
    out.push(v)
  }
  for (let i = 0; i < authority.length;) {
    let j = i
    while (j < authority.length && authority[j] === authority[i]) j++
    varint(j - i)
    varint(authority[i])
    i = j
  }
  const head = Buffer.alloc(8)
  head.write(MAGIC, 0, 'ascii')
  head.writeUInt32LE(authority.length, 4)
  return Buffer.concat([head, Buffer.from(out)])
}

export function decodeAuthorities(buf: Uint8Array): Uint16Array {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (view.toString('ascii', 0, 4) !== MAGIC) throw new Error('postcode_authorities.bin: not a Signpost authority file')
  const n = view.readUInt32LE(4)
  const out = new Uint16Array(n)
  const reader = varintReader(buf, 8)
  const varint = reader.next
  let i = 0
  while (i < n) {
    const run = varint()
    out.fill(varint(), i, i + run)
    i += run
  }
  if (i !== n || reader.offset() !== buf.length) throw new Error('postcode_authorities.bin: trailing or missing entries')
  return out
}
