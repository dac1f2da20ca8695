/**
 * The compact binary form of the GB full-postcode centroids (src/geo/data/postcodes.bin.gz),
 * shared by scripts/build-postcodes.ts (writer) and postcodes.ts (reader).
 *
 * A postcode without its space ('SW1A1AA') read as a base-36 number is a unique key below
 * 36^7 (< 2^53, exact in a double); postcodes never start with a digit, so keys of
 * different lengths cannot collide. Keys are sorted ascending and looked up by binary search.
 * Coordinates are the source's 5 decimal places as integers (×1e5).
 *
 * File (gzipped): 'SPC1', count (uint32 LE), then three columns of LEB128 varints:
 * key deltas, zigzag lat deltas, zigzag lon deltas. Deltas of neighbouring postcodes are
 * small, so the file gzips to a few MB; in memory it is 16 bytes a postcode.
 */
export const MAGIC = 'SPC1'
export const SCALE = 1e5

export function postcodeKey(compact: string): number {
  return parseInt(compact, 36)
}

export function encode(keys: Float64Array, lat: Int32Array, lon: Int32Array): Buffer {
  const n = keys.length
  const out: number[] = []
  const varint = (v: number) => {
    while (v >= 128) { out.push((v % 128) | 128); v = Math.floor(v / 128) }
    out.push(v)
  }
  const zigzag = (d: number) => varint(d >= 0 ? d * 2 : -d * 2 - 1)
  let prev = 0
  for (let i = 0; i < n; i++) { varint(keys[i] - prev); prev = keys[i] }
  prev = 0
  for (let i = 0; i < n; i++) { zigzag(lat[i] - prev); prev = lat[i] }
  prev = 0
  for (let i = 0; i < n; i++) { zigzag(lon[i] - prev); prev = lon[i] }
  const head = Buffer.alloc(8)
  head.write(MAGIC, 0, 'ascii')
  head.writeUInt32LE(n, 4)
  return Buffer.concat([head, Buffer.from(out)])
}

/** Reads unsigned LEB128 varints from `buf` from `start`, one a call of next(); offset() is where it has got to (both data files use them). */
export function varintReader(buf: Uint8Array, start: number): { next: () => number; offset: () => number } {
  let p = start
  return {
    next() {
      let v = 0
      let mult = 1
      for (;;) {
        const b = buf[p++]
        v += (b & 127) * mult
        if (b < 128) return v
        mult *= 128
      }
    },
    offset: () => p,
  }
}

export interface PostcodeTable { keys: Float64Array; lat: Int32Array; lon: Int32Array }

export function decode(buf: Uint8Array): PostcodeTable {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (view.toString('ascii', 0, 4) !== MAGIC) throw new Error('postcodes.bin: not a Signpost postcode file')
  const n = view.readUInt32LE(4)
  const reader = varintReader(buf, 8)
  const varint = reader.next
  const unzigzag = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2)
  const keys = new Float64Array(n)
  const lat = new Int32Array(n)
  const lon = new Int32Array(n)
  let acc = 0
  for (let i = 0; i < n; i++) { acc += varint(); keys[i] = acc }
  acc = 0
  for (let i = 0; i < n; i++) { acc += unzigzag(varint()); lat[i] = acc }
  acc = 0
  for (let i = 0; i < n; i++) { acc += unzigzag(varint()); lon[i] = acc }
  if (reader.offset() !== buf.length) throw new Error('postcodes.bin: trailing or missing bytes')
  return { keys, lat, lon }
}

/** Index of key in the sorted keys, or -1. */
export function find(keys: Float64Array, key: number): number {
  let lo = 0
  let hi = keys.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const k = keys[mid]
    if (k === key) return mid
    if (k < key) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** The key back to its postcode: 5150101 style keys → 'SW1A 1AA'. */
export function keyToPostcode(key: number): string {
  const c = key.toString(36).toUpperCase()
  return `${c.slice(0, -3)} ${c.slice(-3)}`
}

/** Indexes [from, to) of the units in a sector ('SE15 4'): same-length keys sort like their text. */
export function sectorRange(keys: Float64Array, sector: string): [number, number] {
  const compact = sector.replace(' ', '')
  const lowerBound = (k: number) => {
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (keys[mid] < k) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  return [lowerBound(postcodeKey(compact + 'AA')), lowerBound(postcodeKey(compact + 'ZZ') + 1)]
}
