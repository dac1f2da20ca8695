import type { Db } from '../db/client.ts'

/** Resolves when the database answers a trivial query. */
export async function ping(db: Db): Promise<void> {
  await db.query('SELECT 1')
}
