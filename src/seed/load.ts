import { setImmediate as tick } from 'node:timers/promises'
import type { Db } from '../db/client.ts'
import { SCHEMES_PER_ORG, type Batch, type Generator } from './generate.ts'
import { insertOrganisations, insertSchemes, insertSessions, insertVenues } from './rows.ts'

export interface LoadTotals { schemes: number; organisations: number; venues: number; sessions: number }

/**
 * Writes generated schemes [0, total) in batches, one transaction each, so an interrupted
 * run keeps what it finished and a rerun (same seed) skips what is there. The next batch is
 * generated while the database writes the current one.
 */
export async function loadGenerated(db: Db, gen: Generator, total: number, opts: { batch?: number; onBatch?: (done: number, totals: LoadTotals) => void } = {}): Promise<LoadTotals> {
  const size = Math.max(SCHEMES_PER_ORG, Math.floor((opts.batch ?? 5000) / SCHEMES_PER_ORG) * SCHEMES_PER_ORG)
  const totals: LoadTotals = { schemes: 0, organisations: 0, venues: 0, sessions: 0 }
  const write = (b: Batch) => db.transaction(async (tx) => {
    totals.organisations += (await insertOrganisations(tx, b.organisations)).length
    totals.venues += (await insertVenues(tx, b.venues)).length
    const written = new Set(await insertSchemes(tx, b.schemes))
    totals.schemes += written.size
    totals.sessions += await insertSessions(tx, b.sessions.filter((s) => written.has(s.scheme_id)))
  })
  let next: Batch | undefined = total > 0 ? gen.batch(0, Math.min(size, total)) : undefined
  for (let from = 0; next; from += size) {
    const writing = write(next)
    await tick() // let the statement go out before generating the next batch
    const after = from + size
    next = after < total ? gen.batch(after, Math.min(size, total - after)) : undefined
    await writing
    opts.onBatch?.(Math.min(after, total), totals)
  }
  return totals
}
