import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.ts'
import { authoritiesIfLoaded, authorityOfPoint, authorityOfPostcode, loadAuthorities, type AuthorityData } from '../geo/authorities.ts'
import { addDemand } from '../repositories/demand.ts'
import type { SearchFilters } from '../search/params.ts'
import { demandKeyOf, keyText, type DemandKey } from './demand-key.ts'

export interface RecorderOptions {
  /** distinct keys held between flushes; a new key past it is not counted (and a flush starts) */
  maxKeys: number
  flushIntervalMs: number
  log?: FastifyBaseLogger
}

/** One search as the route knows it once answered: its filters, its UK date and whether its page had items. */
export interface SearchSeen {
  filters: SearchFilters
  today: string
  found: boolean
}

/**
 * Demand counting off the request path. `record` is synchronous and cheap: it places the
 * search in its local authority in memory and adds one to a counter; the counters are written
 * in one statement every flushIntervalMs (and on close), so a search never waits on it.
 * Memory is bounded by maxKeys. Counts not yet flushed are lost if the process dies (at
 * most flushIntervalMs of searches), and so are those of a failed write beyond maxKeys.
 */
export class DemandRecorder {
  private counts = new Map<string, { key: DemandKey; count: number }>()
  private timer: NodeJS.Timeout
  private flushing: Promise<void> = Promise.resolve()
  /** searches waiting for the authority tables (the first ones only): a flush counts them first */
  private loading: Promise<void> = Promise.resolve()
  /** searches not counted because maxKeys distinct keys were already waiting */
  dropped = 0

  constructor(private db: Db, private opts: RecorderOptions) {
    this.timer = setInterval(() => { void this.flush() }, opts.flushIntervalMs)
    this.timer.unref()
  }

  record(seen: SearchSeen): void {
    const d = authoritiesIfLoaded()
    if (d) this.count(d, seen)
    // the first search reads the tables (about 0.4 s, once); it is counted when they are in
    else {
      this.loading = loadAuthorities().then((x) => this.count(x, seen),
        (err) => { this.dropped++; this.opts.log?.warn({ err }, 'demand: local authority data not read') })
    }
  }

  private count(d: AuthorityData, { filters, today, found }: SearchSeen): void {
    const place = filters.place
    if (!place) return // no place, no area: a search by name alone is not demand in an area
    const area = ('postcode' in place ? authorityOfPostcode(d, place.postcode) : authorityOfPoint(d, place.lat, place.lon)) ?? ''
    const key = demandKeyOf(filters, today, area, found)
    const text = keyText(key)
    const held = this.counts.get(text)
    if (held) { held.count++; return }
    if (this.counts.size >= this.opts.maxKeys) { this.dropped++; void this.flush(); return }
    this.counts.set(text, { key, count: 1 })
  }

  /** Writes the counters held so far; one write at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.loading).then(() => this.write())
    return this.flushing
  }

  private async write(): Promise<void> {
    if (this.counts.size === 0) return
    const batch = this.counts
    this.counts = new Map()
    const dropped = this.dropped
    this.dropped = 0
    try {
      await addDemand(this.db, [...batch].map(([text, { key, count }]) => ({ key, text, count })))
      if (dropped) this.opts.log?.warn({ dropped }, 'demand: searches not counted (too many distinct keys between flushes)')
    } catch (err) {
      // kept for the next flush, as far as the bound allows
      for (const [text, held] of batch) {
        const now = this.counts.get(text)
        if (now) now.count += held.count
        else if (this.counts.size < this.opts.maxKeys) this.counts.set(text, held)
        else this.dropped += held.count
      }
      this.opts.log?.warn({ err }, 'demand: counts not written; kept for the next flush')
    }
  }

  /** Stops the timer and writes what is held (the app's onClose). */
  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
  }
}
