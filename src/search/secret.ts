import type { Db } from '../db/client.ts'
import { storedSecret } from '../db/secrets.ts'

/** The server secret that seals cursors (migrations/0004), read once per database. */
export const cursorSecret = (db: Db): Promise<string> => storedSecret(db, 'search_cursor_secret')
