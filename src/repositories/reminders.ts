import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { ukDate } from '../domain/schedule.ts'

/**
 * What the freshness scheduler plans (src/freshness/scheduler.ts), as SQL: schemes that leave
 * search, the reminders that are due, and the outbox of e-mails (mail_jobs). Every "now" is
 * the scheduler's clock, never the database's, so that tests can move time on.
 */

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`
const daysBefore = (now: Date, days: number | ReturnType<typeof sql>) => sql`(${at(now)} - make_interval(days => ${days}::int))`

/** A scheme that has not ended or been deleted: the ones that are asked to confirm. */
const confirmable = sql`s.deleted_at IS NULL AND s.status <> 'ended'`

/**
 * Schemes unconfirmed for more than `days` leave search and the feeds (src/db/rules.ts
 * schemeListed). An UPDATE of the row, so that the change feed sees each one leave.
 */
export async function unlistUnconfirmed(db: Db, now: Date, days: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql`
    UPDATE schemes s SET unlisted_at = ${at(now)}
    WHERE ${confirmable} AND s.unlisted_at IS NULL AND s.last_verified_at < ${daysBefore(now, days)}
    RETURNING s.id`)
  return rows.map((r) => r.id)
}

export interface DueScheme { id: string; name: string; version: number; threshold: number }

/**
 * Queues the reminders that are due: each scheme with the highest threshold it has passed in
 * its current confirmation cycle (last_verified_at), unless that one or a higher one has been
 * sent; a scheme that jumps past several thresholds gets only the highest. One e-mail per
 * organisation lists all its schemes. freshness_reminders' primary key makes each (scheme,
 * cycle, threshold) happen once even if two planners ran at once.
 */
export async function queueDueReminders(db: Db, now: Date, thresholds: number[]): Promise<number> {
  const due = await db.query<{ id: string; threshold: number }>(sql`
    WITH passed AS (
      SELECT s.id, s.last_verified_at, max(t.d) AS threshold
      FROM schemes s CROSS JOIN unnest(${`{${thresholds.join(',')}}`}::int[]) AS t(d)
      WHERE ${confirmable} AND s.last_verified_at <= ${daysBefore(now, sql`t.d`)}
      GROUP BY s.id, s.last_verified_at
    ), fresh AS (
      INSERT INTO freshness_reminders (scheme_id, verified_at, threshold, created_at)
      SELECT p.id, p.last_verified_at, p.threshold, ${at(now)} FROM passed p
      JOIN schemes s ON s.id = p.id JOIN organisations o ON o.id = s.organisation_id
      WHERE o.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM freshness_reminders r
        WHERE r.scheme_id = p.id AND r.verified_at = p.last_verified_at AND r.threshold >= p.threshold AND r.threshold > 0)
      ON CONFLICT DO NOTHING
      RETURNING scheme_id AS id, threshold
    )
    SELECT id, threshold FROM fresh`)
  return queueReminderMail(db, now, due)
}

/**
 * One reminder e-mail per organisation for these (scheme, threshold) pairs, whose
 * freshness_reminders rows were just written; links each row to its e-mail.
 */
async function queueReminderMail(db: Db, now: Date, due: Array<{ id: string; threshold: number }>): Promise<number> {
  if (due.length === 0) return 0
  const jobs = await db.query<{ id: number }>(sql`
    WITH due AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(due)}::jsonb) AS d(id uuid, threshold int))
    INSERT INTO mail_jobs (kind, organisation_id, recipient, payload, next_attempt_at, created_at)
    SELECT 'reminder', o.id, o.email,
      jsonb_build_object('schemes', jsonb_agg(jsonb_build_object('id', s.id, 'threshold', d.threshold) ORDER BY s.name, s.id)),
      ${at(now)}, ${at(now)}
    FROM due d JOIN schemes s ON s.id = d.id JOIN organisations o ON o.id = s.organisation_id
    GROUP BY o.id, o.email
    RETURNING id`)
  await db.query(sql`
    UPDATE freshness_reminders r SET job_id = j.id
    FROM mail_jobs j, jsonb_array_elements(j.payload -> 'schemes') e
    WHERE j.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(jobs.map((j) => j.id))}::jsonb)::bigint)
      AND r.scheme_id = (e ->> 'id')::uuid AND r.threshold = (e ->> 'threshold')::int AND r.job_id IS NULL`)
  return jobs.length
}

/**
 * A confirmation request out of turn (threshold 0), for a scheme the public says has ended:
 * once per confirmation cycle. Queued at once, sent by the scheduler's next run.
 */
export async function queueConfirmationRequest(db: Db, now: Date, schemeId: string): Promise<boolean> {
  const rows = await db.query<{ id: string; threshold: number }>(sql`
    INSERT INTO freshness_reminders (scheme_id, verified_at, threshold, created_at)
    SELECT s.id, s.last_verified_at, 0, ${at(now)} FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.id = ${schemeId} AND ${confirmable} AND o.email IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING scheme_id AS id, threshold`)
  return (await queueReminderMail(db, now, rows)) > 0
}

/**
 * Reports from the public reach their organisation once a day: one digest per organisation and
 * UK day, with every report not yet sent. A report made after today's digest waits for tomorrow's.
 */
export async function queueReportDigests(db: Db, now: Date): Promise<number> {
  const day = ukDate(now)
  const jobs = await db.query<{ id: number; organisation_id: string }>(sql`
    INSERT INTO mail_jobs (kind, organisation_id, recipient, payload, digest_day, next_attempt_at, created_at)
    SELECT 'reports', o.id, o.email, '{}'::jsonb, ${day}::date, ${at(now)}, ${at(now)}
    FROM organisations o
    WHERE o.email IS NOT NULL AND EXISTS (
      SELECT 1 FROM scheme_reports r JOIN schemes s ON s.id = r.scheme_id WHERE r.mail_job_id IS NULL AND s.organisation_id = o.id)
    ON CONFLICT (organisation_id, digest_day) WHERE kind = 'reports' DO NOTHING
    RETURNING id, organisation_id`)
  for (const j of jobs) {
    await db.query(sql`
      UPDATE scheme_reports r SET mail_job_id = ${j.id}
      FROM schemes s WHERE s.id = r.scheme_id AND s.organisation_id = ${j.organisation_id} AND r.mail_job_id IS NULL`)
  }
  return jobs.length
}

/** The reporter digests are for counting independent reports in a 30-day window: none is kept longer. */
export async function forgetReporters(db: Db, now: Date): Promise<void> {
  await db.query(sql`UPDATE scheme_reports SET reporter_digest = NULL WHERE reporter_digest IS NOT NULL AND created_at < ${daysBefore(now, 30)}`)
}
