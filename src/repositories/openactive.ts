import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson } from '../db/documents.ts'
import type { OrganisationDocument } from '../schemas/documents.ts'

/** The organisations with these ids, as GET /v1/organisations/{id} shows them: a feed page's organisers, in one query. */
export async function organisationsByIds(db: Db, ids: readonly string[]): Promise<Map<string, OrganisationDocument>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ doc: OrganisationDocument }>(sql`
    SELECT ${organisationJson('o')} AS doc FROM organisations o
    WHERE o.id IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb)::uuid)`)
  return new Map(rows.map((r) => [r.doc.id, r.doc]))
}
