import { setImmediate as tick } from 'node:timers/promises'
import type { Db } from '../db/client.ts'
import { SCHEMES_PER_ORG, type Batch, type Generator } from './generate.ts'
import { insertOrganisations, insertSchemes, insertSessions, insertVenues } from './rows.ts'

export interface LoadTotals { schemes: number; organisations: number; venues: number; sessions: number }
export interface LoadOptions {
  /** Schemes a transaction (rounded down to a multiple of SCHEMES_PER_ORG); default 5000. */
  batch?: number
  /** Batches written at once, each on its own connection; default 2 on a server (both cores), 1 embedded. */
  jobs?: number
  onBatch?: (done: number, totals: LoadTotals) => void
}

/**
 * Writes generated schemes [0, total) in batches, one transaction each, so an interrupted
 * run keeps what it finished and a rerun (same seed) skips what is there. Batches are
 * independent (an organisation's schemes never straddle two), so several can be written at
 * once while the next is generated.
 */
export async function loadGenerated(db: Db, gen: Generator, total: number, opts: LoadOptions = {}): Promise<LoadTotals> {
  const size = Math.max(SCHEMES_PER_ORG, Math.floor((opts.batch ?? 5000) / SCHEMES_PER_ORG) * SCHEMES_PER_ORG)
  const jobs = db.kind === 'pglite' ? 1 : Math.max(1, opts.jobs ?? 2)
  const totals: LoadTotals = { schemes: 0, organisations: 0, venues: 0, sessions: 0 }
  let done = 0
  const write = (b: Batch) => db.transaction(async (tx) => {
    // a lost commit costs a rerun of one batch, never consistency: the bulk load need not wait for the WAL flush
    await tx.query('SET LOCAL synchronous_commit = off')
    // the venues' search bits once for the batch, not once per session (migrations/0008)
    await tx.query("SET LOCAL signpost.bulk_search_bits = 'on'")
    const organisations = (await insertOrganisations(tx, b.organisations)).length
    const venues = (await insertVenues(tx, b.venues)).length
    const written = new Set(await insertSchemes(tx, b.schemes))
    const sessions = await insertSessions(tx, b.sessions.filter((s) => written.has(s.scheme_id)))
    const venueIds = [...new Set(b.sessions.flatMap((s) => (s.venue_id ? [s.venue_id] : [])))]
    await tx.query('SELECT venues_search_bits_refresh($1::uuid[])', [venueIds])
    return { organisations, venues, schemes: written.size, sessions }
  }).then((n) => {
    for (const k of Object.keys(totals) as Array<keyof LoadTotals>) totals[k] += n[k]
    done += b.schemes.length
    opts.onBatch?.(done, totals)
  })
  const running = new Set<Promise<void>>()
  for (let from = 0; from < total; from += size) {
    const batch = gen.batch(from, Math.min(size, total - from))
    const p: Promise<void> = write(batch).finally(() => running.delete(p))
    running.add(p)
    await tick() // let the statement go out before generating the next batch
    if (running.size >= jobs) await Promise.race(running)
  }
  await Promise.all(running)
  return totals
}
