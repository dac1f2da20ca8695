import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { compactTombstones } from '../repositories/changes.ts'
import { deliverDue, fanOut, type DispatchSettings } from './webhooks/dispatch.ts'

const COMPACT_EVERY_MS = 60 * 60 * 1000

/**
 * The feeds' background work in each process: webhook outbox → deliveries → receivers, and
 * tombstone compaction. Several processes may run it at once: rows are claimed with
 * SKIP LOCKED, so each delivery is sent by one of them at a time.
 */
export function startFeedWorker(db: Db, log: FastifyBaseLogger, settings: DispatchSettings & { pollMs: number; tombstoneDays: number }) {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let lastCompaction = 0

  async function once(): Promise<void> {
    if (Date.now() - lastCompaction > COMPACT_EVERY_MS) {
      lastCompaction = Date.now()
      const dropped = await compactTombstones(db, settings.tombstoneDays)
      if (dropped > 0) log.info({ dropped }, 'change feed tombstones compacted')
    }
    const [any] = await db.query<{ yes: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM webhook_subscriptions) OR EXISTS (SELECT 1 FROM webhook_outbox) AS yes`)
    if (!any?.yes) return
    for (let i = 0; i < 20 && !stopped && await fanOut(db) > 0; i++);
    for (let i = 0; i < 20 && !stopped && await deliverDue(db, settings) > 0; i++);
  }

  function schedule(): void {
    if (stopped) return
    timer = setTimeout(() => {
      running = once().catch((err) => log.warn({ err }, 'feed worker: a run failed; it runs again')).finally(schedule)
    }, settings.pollMs)
    timer.unref()
  }
  schedule()

  return {
    /** Stops polling and waits for a run under way (a delivery in flight ends or times out). */
    async stop(): Promise<void> {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
