import { sql } from 'drizzle-orm'
import type { Db } from './client.ts'

/** The tables that each hold one server secret, made by its migration (0004: cursors; 0017: reporters' digests). */
export type SecretTable = 'search_cursor_secret' | 'report_secret'

const read = new WeakMap<Db, Map<SecretTable, Promise<string>>>()

/** The secret in `table`, read once per database (a failed read is tried again next time). */
export function storedSecret(db: Db, table: SecretTable): Promise<string> {
  let byTable = read.get(db)
  if (!byTable) read.set(db, byTable = new Map())
  let s = byTable.get(table)
  if (!s) {
    s = db.query<{ secret: string }>(sql`SELECT secret FROM ${sql.identifier(table)}`).then((rows) => rows[0].secret)
    s.catch(() => byTable.delete(table))
    byTable.set(table, s)
  }
  return s
}
