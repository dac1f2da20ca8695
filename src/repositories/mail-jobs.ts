import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'

/**
 * The outbox (mail_jobs): claimed one at a time FOR UPDATE SKIP LOCKED, so that several
 * processes share the work and none sends an e-mail another is sending. The claim's
 * transaction lasts until the e-mail is sent and its outcome written.
 */

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`

export interface MailJob {
  id: number
  kind: 'reminder' | 'reports'
  organisation_id: string
  organisation_name: string
  recipient: string
  payload: { schemes?: Array<{ id: string; threshold: number }> }
  attempts: number
}

/** The next job due, locked for this transaction; other processes skip it. */
export async function claimNextJob(tx: Db, now: Date): Promise<MailJob | undefined> {
  const [job] = await tx.query<MailJob>(sql`
    SELECT j.id, j.kind, j.organisation_id, o.name AS organisation_name, j.recipient, j.payload, j.attempts
    FROM mail_jobs j JOIN organisations o ON o.id = j.organisation_id
    WHERE j.status = 'pending' AND j.next_attempt_at <= ${at(now)}
    ORDER BY j.next_attempt_at, j.id LIMIT 1
    FOR UPDATE OF j SKIP LOCKED`)
  return job
}

export interface ReminderScheme { id: string; name: string; version: number; threshold: number; last_verified_at: string }

/** A reminder's schemes as they stand now; those deleted or ended since are left out. */
export async function reminderSchemes(tx: Db, job: MailJob): Promise<ReminderScheme[]> {
  return tx.query<ReminderScheme>(sql`
    SELECT s.id, s.name, s.version, (e ->> 'threshold')::int AS threshold, s.last_verified_at
    FROM jsonb_array_elements(${JSON.stringify(job.payload.schemes ?? [])}::jsonb) WITH ORDINALITY AS x(e, n)
    JOIN schemes s ON s.id = (e ->> 'id')::uuid
    WHERE s.deleted_at IS NULL AND s.status <> 'ended'
    ORDER BY x.n`)
}

export interface DigestReport { id: string; scheme_id: string; scheme_name: string; kind: string; message: string | null; created_at: string }

export async function digestReports(tx: Db, job: MailJob): Promise<DigestReport[]> {
  return tx.query<DigestReport>(sql`
    SELECT r.id, r.scheme_id, s.name AS scheme_name, r.kind, r.message, r.created_at
    FROM scheme_reports r JOIN schemes s ON s.id = r.scheme_id
    WHERE r.mail_job_id = ${job.id} ORDER BY s.name, r.created_at`)
}

/** Keeps the hash of each link's token, bound to its scheme's version, good for `days`. */
export async function storeTokens(tx: Db, job: MailJob, now: Date, days: number,
  tokens: Array<{ hashHex: string; schemeId: string; version: number }>): Promise<void> {
  if (tokens.length === 0) return
  await tx.query(sql`
    INSERT INTO confirmation_tokens (token_hash, scheme_id, scheme_version, job_id, created_at, expires_at)
    SELECT decode(t.hash, 'hex'), t.scheme_id, t.version, ${job.id}, ${at(now)}, ${at(now)} + make_interval(days => ${days}::int)
    FROM jsonb_to_recordset(${JSON.stringify(tokens.map((t) => ({ hash: t.hashHex, scheme_id: t.schemeId, version: t.version })))}::jsonb)
      AS t(hash text, scheme_id uuid, version int)`)
}

/** Sent (or, without SMTP, logged): the job is done and never claimed again. */
export async function markDone(tx: Db, job: MailJob, now: Date, status: 'sent' | 'logged', subject: string): Promise<void> {
  await tx.query(sql`UPDATE mail_jobs SET status = ${status}, sent_at = ${at(now)}, subject = ${subject}, attempts = attempts + 1,
    last_error = NULL WHERE id = ${job.id}`)
}

/** Nothing left to say (every scheme deleted or ended since it was queued). */
export async function markEmpty(tx: Db, job: MailJob, now: Date): Promise<void> {
  await tx.query(sql`UPDATE mail_jobs SET status = 'logged', sent_at = ${at(now)}, subject = NULL, last_error = 'nothing to send' WHERE id = ${job.id}`)
}

/** A failed send stays pending, to be tried again after `retryAfterMs`. */
export async function markFailed(tx: Db, job: MailJob, now: Date, retryAfterMs: number, error: string): Promise<void> {
  await tx.query(sql`UPDATE mail_jobs SET attempts = attempts + 1, last_error = ${error.slice(0, 500)},
    next_attempt_at = ${new Date(now.getTime() + retryAfterMs).toISOString()}::timestamptz WHERE id = ${job.id}`)
}
