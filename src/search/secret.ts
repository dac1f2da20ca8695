import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'

const secrets = new WeakMap<Db, Promise<string>>()

/** The server secret that seals cursors (migrations/0004), read once per database. */
export function cursorSecret(db: Db): Promise<string> {
  let s = secrets.get(db)
  if (!s) {
    s = db.query<{ secret: string }>(sql`SELECT secret FROM search_cursor_secret`).then((rows) => rows[0].secret)
    s.catch(() => secrets.delete(db))
    secrets.set(db, s)
  }
  return s
}
