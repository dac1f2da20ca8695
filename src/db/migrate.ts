import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Db } from './client.ts'
import { refreshCalendarData } from './bank-holidays.ts'

/** A migration may rewrite a whole table: its connection waits up to an hour, not a request's few seconds. */
export const MIGRATION_TIMEOUT_MS = 3_600_000

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

/**
 * Applies the forward-only SQL files in migrations/ in name order, each once, each in its
 * own transaction, recorded in schema_migrations; then brings the calendar data that SQL
 * cannot compute up to date (bank holidays, venues' nations: src/db/bank-holidays.ts).
 * Running it again is harmless; an advisory lock keeps two starting instances from applying
 * the same file twice.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const applied: string[] = []
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
  for (const name of files) {
    const text = await readFile(dir + name, 'utf8')
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7356201)')
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name])
      if (done.length > 0) return
      await tx.exec(text)
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name])
      applied.push(name)
    })
  }
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7356201)')
    // a directory migrated only part of the way (npm run bench:writes -- --until) has no such tables yet
    const [{ ready }] = await tx.query<{ ready: boolean }>("SELECT to_regclass('bank_holidays') IS NOT NULL AS ready")
    if (ready) await refreshCalendarData(tx)
  })
  return applied
}
