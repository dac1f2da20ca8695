import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson, schemeDocumentJson, venueJson } from '../db/documents.ts'
import { schemeInFeeds } from '../db/rules.ts'
import { withSummaries } from '../domain/schedule-summary.ts'
import type { Scheme } from '../schemas/scheme.ts'

/**
 * The change feed's rows (migrations/0016_change_feed.sql): one per resource, the number of
 * its latest change. Numbers are given at commit under a lock, so a page read now never
 * lacks a change that commits later with a smaller number.
 */

export type ChangeKind = 'scheme' | 'venue' | 'organisation'

/** A resource at its latest change. */
export interface ChangeItem {
  id: string
  /** A decimal string: numbers are bigint. */
  change_number: string
  /** Not shown now: deleted (or, for a scheme, out of the feeds; src/db/rules.ts schemeInFeeds). */
  deleted: boolean
  /** The document as GET shows it; absent when deleted. */
  data?: Record<string, unknown>
}

// Each kind's live row (joined to `c`, a row with the resource's id): whether it is shown, its
// document as GET shows it, and the organisation it belongs to.
const LIVE: Record<ChangeKind, { from: SQL; shown: SQL; doc: SQL; owner: SQL }> = {
  scheme: {
    from: sql`LEFT JOIN schemes s ON s.id = c.id LEFT JOIN organisations o ON o.id = s.organisation_id`,
    shown: sql`s.id IS NOT NULL AND ${schemeInFeeds('s')}`,
    doc: schemeDocumentJson('s', 'o'),
    owner: sql`s.organisation_id`,
  },
  venue: { from: sql`LEFT JOIN venues v ON v.id = c.id`, shown: sql`v.id IS NOT NULL AND v.deleted_at IS NULL`, doc: venueJson('v'), owner: sql`v.organisation_id` },
  organisation: { from: sql`LEFT JOIN organisations o ON o.id = c.id`, shown: sql`o.id IS NOT NULL`, doc: organisationJson('o'), owner: sql`o.id` },
}

function asShown(kind: ChangeKind, doc: Record<string, unknown>): Record<string, unknown> {
  return kind === 'scheme' ? withSummaries(doc as unknown as Scheme) as unknown as Record<string, unknown> : doc
}

/** Resources of `kind` by id: the organisation each belongs to, and its document as GET shows it (none when not shown). */
export async function liveDocuments(db: Db, kind: ChangeKind, ids: string[]):
  Promise<Map<string, { owner: string | null; data?: Record<string, unknown> }>> {
  const live = LIVE[kind]
  const rows = await db.query<{ id: string; owner: string | null; data: Record<string, unknown> | null }>(sql`
    SELECT c.id, ${live.owner} AS owner, CASE WHEN ${live.shown} THEN ${live.doc} END AS data
    FROM unnest(${sql.param(ids)}::uuid[]) AS c(id) ${live.from}`)
  return new Map(rows.map((r) => [r.id, { owner: r.owner, ...(r.data ? { data: asShown(kind, r.data) } : {}) }]))
}

/** The changed rows of `kind` after `after` with their documents, read in one snapshot, in change order. */
export async function changeItems(db: Db, kind: ChangeKind, after: string | null, limit: number): Promise<ChangeItem[]> {
  const live = LIVE[kind]
  const rows = await db.query<{ id: string; change_number: string; shown: boolean; data: Record<string, unknown> | null }>(sql`
    SELECT c.id, c.change_number::text AS change_number, (${live.shown}) AS shown, CASE WHEN ${live.shown} THEN ${live.doc} END AS data
    FROM (SELECT * FROM changes WHERE kind = ${kind} AND change_number > ${after ?? '-1'}::bigint
          ORDER BY change_number LIMIT ${limit}) c
    ${live.from}
    ORDER BY c.change_number`)
  return rows.map((r) => ({ id: r.id, change_number: r.change_number, deleted: !r.shown, ...(r.shown && r.data ? { data: asShown(kind, r.data) } : {}) }))
}

/** Drops tombstones older than `days`: a consumer further behind walks the feed again from the start (docs/feeds.md). */
export async function compactTombstones(db: Db, days: number): Promise<number> {
  const rows = await db.query<{ n: number }>(sql`
    WITH gone AS (DELETE FROM changes WHERE deleted AND modified < now() - make_interval(days => ${days}) RETURNING 1)
    SELECT count(*)::int AS n FROM gone`)
  return rows[0]?.n ?? 0
}
