import { sql } from 'drizzle-orm'
import { reminderDays, type Config } from '../config.ts'
import type { Db } from '../db/client.ts'
import { backoffMs } from '../domain/backoff.ts'
import { forgetReporters, queueDueReminders, queueReportDigests, unlistUnconfirmed } from '../repositories/reminders.ts'
import { claimNextJob, digestReports, markDone, markEmpty, markFailed, reminderSchemes, storeTokens, type MailJob } from '../repositories/mail-jobs.ts'
import { logMailer, smtpMailer, type Log, type Mailer } from './mail.ts'
import { digestMessage, reminderMessage } from './messages.ts'
import { newToken, TOKEN_DAYS } from './tokens.ts'

/**
 * The freshness scheduler (docs/freshness.md). Each run:
 * 1. plans, under a transaction-scoped advisory lock so that one process plans at a time:
 *    unlists schemes unconfirmed too long, queues the reminders due and the day's report
 *    digests (src/repositories/reminders.ts), forgets old reporter digests;
 * 2. delivers the outbox, one job at a time, each claimed FOR UPDATE SKIP LOCKED and sent
 *    inside the claim's transaction: two processes never send the same job, and a job is
 *    marked sent in the same commit that keeps its links' token hashes. A failed send stays
 *    pending with a later next_attempt_at; it is never dropped.
 * A crash between the SMTP server's acceptance and the commit is the one case that sends a
 * job twice (each with the job's Message-ID); nothing is ever lost.
 */

/** pg_try_advisory_xact_lock key of the planning step ("signpost freshness"). */
const PLAN_LOCK = 7356215
const RETRY_BASE_MS = 5 * 60_000
const RETRY_MAX_MS = 6 * 3600_000

export interface SchedulerOptions {
  db: Db
  config: Config
  /** The clock every threshold is measured with (tests move it on). */
  clock: () => Date
  log: Log
  /** Where e-mail goes; from SMTP_URL otherwise. */
  mailer?: Mailer
}

export interface RunSummary { planned: boolean; unlisted: number; reminders: number; digests: number; sent: number; failed: number }

export interface Scheduler {
  /** One run now (after any run in progress in this process); what it did. */
  runOnce(): Promise<RunSummary>
  /** Runs every SCHEDULER_INTERVAL_S seconds until stopped. */
  start(): void
  /** No more runs; waits for one in progress. */
  stop(): Promise<void>
}

export function createScheduler(o: SchedulerOptions): Scheduler {
  const { db, config, clock, log } = o
  const thresholds = reminderDays(config.REMINDER_DAYS) ?? [90, 150, 170]
  const mailer = o.mailer ?? (config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : logMailer(log))
  const base = config.PUBLIC_BASE_URL

  async function plan(now: Date) {
    return db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${PLAN_LOCK}) AS locked`)
      if (!locked) return null
      const unlisted = await unlistUnconfirmed(tx, now, config.UNCONFIRMED_AFTER_DAYS)
      const reminders = await queueDueReminders(tx, now, thresholds)
      const digests = await queueReportDigests(tx, now)
      await forgetReporters(tx, now)
      return { unlisted: unlisted.length, reminders, digests }
    })
  }

  /** The e-mail of a job, with fresh links; null when nothing is left to say. */
  async function compose(tx: Db, job: MailJob) {
    const messageId = `<signpost-mail-${job.id}@${new URL(base).hostname}>`
    if (job.kind === 'reports') {
      const reports = await digestReports(tx, job)
      return reports.length ? { ...digestMessage(job.organisation_name, reports), messageId, tokens: [] } : null
    }
    const schemes = await reminderSchemes(tx, job)
    if (!schemes.length) return null
    const lines = schemes.map((scheme) => ({ scheme, ...newToken() }))
    const m = reminderMessage(job.organisation_name, lines.map((l) => ({ scheme: l.scheme, link: `${base}/confirm/${l.token}` })), thresholds,
      config.UNCONFIRMED_AFTER_DAYS, TOKEN_DAYS)
    return { ...m, messageId, tokens: lines.map((l) => ({ hashHex: l.hashHex, schemeId: l.scheme.id, version: l.scheme.version })) }
  }

  /** Claims, sends and settles one job; undefined when none is due. */
  async function deliverOne(now: Date): Promise<'sent' | 'failed' | undefined> {
    return db.transaction(async (tx) => {
      const job = await claimNextJob(tx, now)
      if (!job) return undefined
      const mail = await compose(tx, job)
      if (!mail) { await markEmpty(tx, job, now); return 'sent' }
      try {
        await mailer.send({ to: job.recipient, subject: mail.subject, text: mail.text, messageId: mail.messageId })
      } catch (err) {
        const wait = backoffMs(job.attempts + 1, RETRY_BASE_MS, RETRY_MAX_MS)
        log.warn({ job: job.id, attempts: job.attempts + 1, err: (err as Error).message }, 'e-mail not sent; will try again')
        await markFailed(tx, job, now, wait, (err as Error).message)
        return 'failed'
      }
      await storeTokens(tx, job, now, TOKEN_DAYS, mail.tokens)
      await markDone(tx, job, now, mailer.kind, mail.subject)
      return 'sent'
    })
  }

  async function run(): Promise<RunSummary> {
    const now = clock()
    const planned = await plan(now)
    let sent = 0
    let failed = 0
    for (;;) {
      const outcome = await deliverOne(now)
      if (!outcome) break
      if (outcome === 'sent') sent++
      else failed++
    }
    const summary = { planned: planned !== null, unlisted: 0, reminders: 0, digests: 0, ...planned, sent, failed }
    if (summary.unlisted || summary.reminders || summary.digests || sent || failed) log.info({ freshness: summary }, 'freshness run')
    return summary
  }

  let running: Promise<RunSummary> | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  function runOnce(): Promise<RunSummary> {
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(run)
    running = next
    return next
  }

  function schedule() {
    if (stopped || config.SCHEDULER_INTERVAL_S === 0) return
    timer = setTimeout(() => {
      runOnce().catch((err) => log.error({ err }, 'freshness run failed')).finally(schedule)
    }, config.SCHEDULER_INTERVAL_S * 1000)
    timer.unref()
  }

  return {
    runOnce,
    start() { stopped = false; schedule() },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running?.catch(() => undefined)
      mailer.close()
    },
  }
}
