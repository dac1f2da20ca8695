import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { documentVenuesJson, schemeDocumentJson } from '../db/documents.ts'
import type { Actor } from '../domain/access.ts'
import { withSummaries } from '../domain/schedule-summary.ts'

export type HistoryAction = 'create' | 'update' | 'verify' | 'delete'

/** Who changed a scheme without a key: a confirmation link from a reminder (docs/freshness.md). */
export const CONFIRMATION_LINK = 'confirmation link'

/**
 * Keeps the scheme as it now stands (after the change, in the same transaction), with who
 * changed it. One row per version; a null actor is an in-process writer (import, seed), or
 * the keyless one named by `role` (CONFIRMATION_LINK).
 */
export async function recordHistory(tx: Db, schemeId: string, action: HistoryAction, actor: Actor | null,
  role: typeof CONFIRMATION_LINK | null = null): Promise<void> {
  await tx.query(sql`
    INSERT INTO scheme_history (scheme_id, version, action, changed_at, actor_key_id, actor_role, document)
    SELECT s.id, s.version, ${action}, now(), ${actor?.keyId ?? null}, ${actor?.role ?? role}, ${schemeDocumentJson('s', 'o')}
    FROM schemes s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ${schemeId}`)
}

export interface HistoryEntry {
  version: number
  action: HistoryAction
  changed_at: string
  actor: { key_id: string | null; role: string | null }
  scheme: Record<string, unknown>
}

/**
 * Newest first; versions below `before` when paging. limit + 1 rows. Each document is kept as
 * SQL built it, and shown with its schedule's summaries made now (src/domain/schedule-summary.ts).
 */
export async function listHistory(db: Db, schemeId: string, limit: number, before: number | null): Promise<HistoryEntry[]> {
  const rows = await db.query<{ entry: HistoryEntry }>(sql`
    SELECT jsonb_build_object(
      'version', h.version, 'action', h.action,
      'changed_at', to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'actor', jsonb_build_object('key_id', h.actor_key_id, 'role', h.actor_role),
      -- kept before documents carried their venues (migrations/0015): the venues as they are now
      'scheme', CASE WHEN h.document ? 'venues' THEN h.document ELSE h.document || jsonb_build_object('venues', ${documentVenuesJson(sql`h.document`)}) END
    ) AS entry
    FROM scheme_history h
    WHERE h.scheme_id = ${schemeId} ${before === null ? sql`` : sql`AND h.version < ${before}`}
    ORDER BY h.version DESC LIMIT ${limit + 1}`)
  return rows.map((r) => ({ ...r.entry, scheme: withSummaries(r.entry.scheme as { sessions: unknown[] }) }))
}
