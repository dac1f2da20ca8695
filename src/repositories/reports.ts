import { createHmac } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { timestampJson } from '../db/documents.ts'
import { storedSecret } from '../db/secrets.ts'
import { GoneError, NotFoundError } from '../errors.ts'
import { ENDED_REPORTS_FOR_REQUEST, REPORT_WINDOW_DAYS, type ReportKind } from '../freshness/reports.ts'
import { queueConfirmationRequest } from './reminders.ts'

/**
 * Reports from the public (POST /v1/schemes/{id}/reports) and their organisation's view of them.
 * Nothing about the sender is kept but reporter_digest, an HMAC of their address and the scheme
 * under report_secret (migrations/0017), which only tells two senders apart and is cleared
 * after REPORT_WINDOW_DAYS (src/repositories/reminders.ts forgetReporters).
 */

export interface Report { id: string; scheme_id: string; scheme_name: string; kind: ReportKind; message: string | null; created_at: string;
  closed_at: string | null }

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`
const REPORT_JSON = sql`jsonb_build_object('id', r.id, 'scheme_id', r.scheme_id, 'scheme_name', s.name, 'kind', r.kind, 'message', r.message,
  'created_at', ${timestampJson(sql`r.created_at`)}, 'closed_at', ${timestampJson(sql`r.closed_at`)})`

/**
 * Keeps a report; when it makes ENDED_REPORTS_FOR_REQUEST has_ended reports from different
 * senders within REPORT_WINDOW_DAYS, asks the organisation to confirm at once.
 */
export async function createReport(db: Db, schemeId: string, kind: ReportKind, message: string | null, sender: string, now: Date):
  Promise<{ id: string; kind: ReportKind; created_at: string; confirmation_requested: boolean }> {
  const digest = createHmac('sha256', await storedSecret(db, 'report_secret')).update(`${schemeId}\n${sender}`).digest('hex')
  return db.transaction(async (tx) => {
    const [s] = await tx.query<{ deleted: boolean }>(sql`SELECT deleted_at IS NOT NULL AS deleted FROM schemes WHERE id = ${schemeId} FOR KEY SHARE`)
    if (!s) throw new NotFoundError(`No scheme ${schemeId}.`)
    if (s.deleted) throw new GoneError(`Scheme ${schemeId} has been deleted.`)
    const [row] = await tx.query<{ id: string; created_at: string }>(sql`
      INSERT INTO scheme_reports (scheme_id, kind, message, reporter_digest, created_at)
      VALUES (${schemeId}, ${kind}, ${message}, ${digest}, ${at(now)}) RETURNING id, created_at`)
    let requested = false
    if (kind === 'has_ended') {
      const [{ senders }] = await tx.query<{ senders: number }>(sql`
        SELECT count(DISTINCT reporter_digest)::int AS senders FROM scheme_reports
        WHERE scheme_id = ${schemeId} AND kind = 'has_ended' AND closed_at IS NULL
          AND created_at > ${at(now)} - make_interval(days => ${REPORT_WINDOW_DAYS}::int)`)
      if (senders >= ENDED_REPORTS_FOR_REQUEST) requested = await queueConfirmationRequest(tx, now, schemeId)
    }
    return { id: row.id, kind, created_at: row.created_at, confirmation_requested: requested }
  })
}

/** An organisation's reports, newest first: open ones, or with `closed` all of them (at most `limit`). */
export async function listReports(db: Db, organisationId: string, closed: boolean, limit: number): Promise<Report[]> {
  const rows = await db.query<{ r: Report }>(sql`
    SELECT ${REPORT_JSON} AS r FROM scheme_reports r JOIN schemes s ON s.id = r.scheme_id
    WHERE s.organisation_id = ${organisationId} ${closed ? sql`` : sql`AND r.closed_at IS NULL`}
    ORDER BY r.created_at DESC, r.id LIMIT ${limit}`)
  return rows.map((x) => x.r)
}

/** Closes one of the organisation's reports (closing a closed one changes nothing); 404 when it is not theirs. */
export async function closeReport(db: Db, organisationId: string, reportId: string, keyId: string | null, now: Date): Promise<Report> {
  await db.query(sql`
    UPDATE scheme_reports r SET closed_at = ${at(now)}, closed_by = ${keyId}
    FROM schemes s WHERE s.id = r.scheme_id AND s.organisation_id = ${organisationId} AND r.id = ${reportId} AND r.closed_at IS NULL`)
  const [row] = await db.query<{ r: Report }>(sql`
    SELECT ${REPORT_JSON} AS r FROM scheme_reports r JOIN schemes s ON s.id = r.scheme_id
    WHERE s.organisation_id = ${organisationId} AND r.id = ${reportId}`)
  if (!row) throw new NotFoundError(`No report ${reportId} about a scheme of organisation ${organisationId}.`)
  return row.r
}
