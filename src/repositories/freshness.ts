import { sql } from 'drizzle-orm'
import { sectorAuthorityTable, venueSector, type SectorAuthorities } from './coverage.ts'
import type { Db } from '../db/client.ts'
import { timestampJson as ts } from '../db/documents.ts'
import { STALE_DAYS } from '../freshness/states.ts'

/**
 * What owners and admins see of freshness (docs/freshness.md): an organisation's schemes that
 * are due, overdue or unconfirmed (GET /v1/organisations/{id}/due), and the admin's report by
 * organisation and by local authority (GET /v1/insights/freshness). Ages are measured with
 * the request's clock.
 */

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`
/** Whole days since scheme `s` was last confirmed. */
const ageDays = (now: Date) => sql`floor(extract(epoch FROM ${at(now)} - s.last_verified_at) / 86400)::int`

export interface DueItem {
  id: string; name: string; status: string; last_verified_at: string; days_since_confirmed: number
  state: 'due' | 'overdue' | 'unconfirmed'; unlisted_at: string | null
  last_reminder: { threshold: number; sent_at: string | null } | null
  open_reports: number
}

/**
 * The organisation's schemes (not deleted, not ended) confirmed `firstReminder` or more days
 * ago, oldest confirmation first: due (reminded, still listed and not stale), overdue (stale),
 * unconfirmed (out of search until confirmed).
 */
export async function dueSchemes(db: Db, organisationId: string, now: Date, firstReminder: number): Promise<DueItem[]> {
  const rows = await db.query<{ item: DueItem }>(sql`
    SELECT jsonb_build_object('id', s.id, 'name', s.name, 'status', s.status, 'last_verified_at', ${ts(sql`s.last_verified_at`)},
      'days_since_confirmed', ${ageDays(now)},
      'state', CASE WHEN s.unlisted_at IS NOT NULL THEN 'unconfirmed' WHEN ${ageDays(now)} >= ${STALE_DAYS}::int THEN 'overdue' ELSE 'due' END,
      'unlisted_at', ${ts(sql`s.unlisted_at`)},
      'last_reminder', (SELECT jsonb_build_object('threshold', r.threshold, 'sent_at', ${ts(sql`j.sent_at`)})
        FROM freshness_reminders r LEFT JOIN mail_jobs j ON j.id = r.job_id
        WHERE r.scheme_id = s.id AND r.verified_at = s.last_verified_at ORDER BY r.created_at DESC, r.threshold DESC LIMIT 1),
      'open_reports', (SELECT count(*)::int FROM scheme_reports p WHERE p.scheme_id = s.id AND p.closed_at IS NULL)) AS item
    FROM schemes s
    WHERE s.organisation_id = ${organisationId} AND s.deleted_at IS NULL AND s.status <> 'ended'
      AND (s.unlisted_at IS NOT NULL OR s.last_verified_at <= ${at(now)} - make_interval(days => ${firstReminder}::int))
    ORDER BY s.last_verified_at, s.id`)
  return rows.map((r) => r.item)
}

export interface FreshnessRow {
  organisation_id?: string; organisation_name?: string; local_authority_code?: string | null; local_authority_name?: string
  schemes: number; confirmed_within_90: number; confirmed_within_180: number; confirmed_within_365: number; unconfirmed: number
  unlisted: number; open_reports: number
}

/**
 * Counts over live schemes (not deleted, not ended): confirmed within 90, 180 and 365 days,
 * unconfirmed longer (within_365 + unconfirmed = schemes), unlisted, open reports. By
 * organisation; and by the local authority of each venue where a session meets (the main
 * authority of its postcode sector; a scheme in two authorities counts in both; one with no venue
 * under null, remote).
 */
export async function freshnessReport(db: Db, now: Date, sectors: SectorAuthorities):
  Promise<{ by_organisation: FreshnessRow[]; by_local_authority: Array<FreshnessRow & { local_authority_code: string | null }> }> {
  const counts = sql`count(*)::int AS schemes,
    count(*) FILTER (WHERE x.age <= 90)::int AS confirmed_within_90,
    count(*) FILTER (WHERE x.age <= 180)::int AS confirmed_within_180,
    count(*) FILTER (WHERE x.age <= 365)::int AS confirmed_within_365,
    count(*) FILTER (WHERE x.age > 365)::int AS unconfirmed,
    count(*) FILTER (WHERE x.unlisted)::int AS unlisted,
    coalesce(sum(x.open_reports), 0)::int AS open_reports`
  const live = sql`SELECT s.id, s.organisation_id, extract(epoch FROM ${at(now)} - s.last_verified_at) / 86400 AS age, s.unlisted_at IS NOT NULL AS unlisted,
      (SELECT count(*) FROM scheme_reports p WHERE p.scheme_id = s.id AND p.closed_at IS NULL) AS open_reports
    FROM schemes s WHERE s.deleted_at IS NULL AND s.status <> 'ended'`
  const byOrganisation = await db.query<FreshnessRow>(sql`
    SELECT o.id AS organisation_id, o.name AS organisation_name, ${counts}
    FROM (${live}) x JOIN organisations o ON o.id = x.organisation_id
    GROUP BY o.id, o.name ORDER BY o.name, o.id`)
  // a scheme counts once in each authority where one of its venues is; one with no venue under null (remote)
  const byAuthority = await db.query<FreshnessRow & { local_authority_code: string | null }>(sql`
    WITH place AS (${sectorAuthorityTable(sectors)})
    SELECT a.code AS local_authority_code, ${counts}
    FROM (${live}) x
    CROSS JOIN LATERAL (
      SELECT coalesce(array_agg(DISTINCT p.code) FILTER (WHERE p.code IS NOT NULL), ARRAY[NULL::text]) AS codes
      FROM sessions ss LEFT JOIN venues v ON v.id = ss.venue_id AND v.deleted_at IS NULL LEFT JOIN place p ON p.sector = ${venueSector('v')}
      WHERE ss.scheme_id = x.id) vs
    CROSS JOIN LATERAL unnest(vs.codes) AS a(code)
    GROUP BY a.code ORDER BY a.code NULLS LAST`)
  return { by_organisation: byOrganisation, by_local_authority: byAuthority }
}
