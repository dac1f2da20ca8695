import { createHash } from 'node:crypto'
import { addDays, ukDate } from '../domain/schedule.ts'

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
export class Random {
  private state: number
  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : createHash('sha256').update(seed).digest().readUInt32LE(0)
  }

  /** [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer from min to max inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((s, [, w]) => s + w, 0)
    let r = this.next() * total
    for (const [v, w] of options) if ((r -= w) < 0) return v
    return options[options.length - 1][0]
  }

  /** k distinct items, in their original order. */
  some<T>(items: readonly T[], k: number): T[] {
    const idx = items.map((_, i) => i)
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[idx[i], idx[j]] = [idx[j], idx[i]]
    }
    return idx.slice(0, Math.min(k, items.length)).sort((a, b) => a - b).map((i) => items[i])
  }
}

/** A fixed UUID (version 5 layout) derived from a name, so re-seeding finds the same rows. */
export function nameId(name: string): string {
  const h = createHash('sha1').update('signpost:' + name).digest()
  h[6] = (h[6] & 0x0f) | 0x50
  h[8] = (h[8] & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

/** Today's date in the UK, 'YYYY-MM-DD', and date arithmetic: the schedule rules' own (src/domain/schedule.ts). */
export const ukToday = (now = new Date()): string => ukDate(now)
export { addDays }

export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}
