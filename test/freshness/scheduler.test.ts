import t from 'tap'
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { call, createOrganisation, createScheme, weekly } from '../fixtures/api.ts'
import { buildWithScheduler, secondConnection, testClock } from './app.ts'
import { smtpServer } from './smtp.ts'
import { createScheduler } from '../../src/freshness/scheduler.ts'

const remote = { delivery: ['online'], service_area: { type: 'national' }, sessions: [weekly(null)] }

t.test('two service processes running the scheduler at once send nothing twice', async (t) => {
  const smtp = await smtpServer(t)
  const clock = testClock()
  const one = await buildWithScheduler(t, { SMTP_URL: smtp.url }, clock)
  // the second process: its own app and scheduler on the same database (its own pool on a server)
  const two = await buildWithScheduler(t, { SMTP_URL: smtp.url }, clock, await secondConnection(t, one.db))
  const recipients: string[] = []
  for (let i = 0; i < 3; i++) {
    const email = `org${i}@charity.test`
    recipients.push(email)
    const { key } = await createOrganisation(one.app, { email })
    for (let j = 0; j < 2; j++) await createScheme(one.app, key, { name: `Group ${i}.${j}`, ...remote })
  }
  for (const day of [91, 92, 151, 171]) {
    clock.at(day)
    // each process runs twice, all four runs at once
    await Promise.all([one.scheduler.runOnce(), two.scheduler.runOnce(), one.scheduler.runOnce(), two.scheduler.runOnce()])
  }
  const got = smtp.arrived.map((m) => `${m.to.join()} ${m.subject}`).sort()
  const expected = recipients.flatMap((r) => [`${r} Please confirm 2 of your listings on Signpost`, `${r} Please confirm 2 of your listings on Signpost`,
    `${r} Last notice: please confirm 2 of your listings on Signpost`]).sort()
  t.same(got, expected, 'each organisation: 90, 150 and 170 days, once each')
  const [jobs] = await one.db.query<{ n: number; sent: number }>(sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'sent')::int AS sent FROM mail_jobs`)
  t.same(jobs, { n: 9, sent: 9 })
})

t.test('a failed send is tried again later, never lost and never doubled; the next process restart goes on', async (t) => {
  const smtp = await smtpServer(t)
  const clock = testClock()
  const { app, db, config, scheduler, logs } = await buildWithScheduler(t, { SMTP_URL: smtp.url }, clock)
  const { key } = await createOrganisation(app, { email: 'retry@charity.test' })
  await createScheme(app, key, { name: 'Walks', ...remote })
  clock.at(91)
  smtp.failNext(1)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 0, failed: 1 })
  t.equal(smtp.arrived.length, 0)
  t.ok(logs.some((l) => l.msg === 'e-mail not sent; will try again' && l.attempts === 1))
  const [job] = await db.query<{ status: string; attempts: number; last_error: string }>(sql`SELECT status, attempts, last_error FROM mail_jobs`)
  t.match(job, { status: 'pending', attempts: 1, last_error: /Try again later/ })
  t.match(await scheduler.runOnce(), { sent: 0, failed: 0 }, 'not before its next attempt')
  // a new process (as after a restart) picks the job up once it is due
  await scheduler.stop()
  const restarted = createScheduler({ db, config, clock, log: app.log })
  t.teardown(() => restarted.stop())
  clock.at(91.01)
  t.match(await restarted.runOnce(), { reminders: 0, sent: 1 })
  t.equal(smtp.arrived.length, 1)
  t.equal(smtp.arrived[0].subject, 'Please confirm "Walks" on Signpost')
  t.match(await restarted.runOnce(), { sent: 0 })
  t.equal(smtp.arrived.length, 1, 'once')
})

t.test('without SMTP_URL a reminder is written to the log and the jobs table, and /readyz passes', async (t) => {
  const clock = testClock()
  const { app, db, scheduler, logs } = await buildWithScheduler(t, {}, clock)
  const { key } = await createOrganisation(app, { email: 'nosmtp@charity.test' })
  await createScheme(app, key, { name: 'Tea', ...remote })
  clock.at(95)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 1 })
  const line = logs.find((l) => l.mail)
  t.match(line?.mail, { to: 'nosmtp@charity.test', subject: 'Please confirm "Tea" on Signpost', text: /https:\/\/signpost\.test\/confirm\/[A-Za-z0-9_-]{43}/ })
  const [job] = await db.query<{ status: string; subject: string }>(sql`SELECT status, subject FROM mail_jobs`)
  t.same(job, { status: 'logged', subject: 'Please confirm "Tea" on Signpost' })
  t.equal((await call(app, 'GET', '/readyz')).statusCode, 200)
  t.match(await scheduler.runOnce(), { reminders: 0, sent: 0 }, 'logged once')
  // the link's token is stored as its SHA-256 only
  const token = /confirm\/([A-Za-z0-9_-]{43})/.exec(line!.mail.text)![1]
  const stored = await db.query<{ hash: string }>(sql`SELECT encode(token_hash, 'hex') AS hash FROM confirmation_tokens`)
  t.same(stored, [{ hash: createHash('sha256').update(token).digest('hex') }])
  t.equal((await call(app, 'GET', `/confirm/${token}`)).statusCode, 200, 'the logged link works')
  // and a request's log line never shows it
  t.notOk(logs.some((l) => JSON.stringify(l.req ?? '').includes(token)), 'the token is not in the request log')
})

t.test('a scheme that jumps past every threshold gets one notice, and an organisation without an e-mail none', async (t) => {
  const smtp = await smtpServer(t)
  const clock = testClock()
  const { app, scheduler } = await buildWithScheduler(t, { SMTP_URL: smtp.url, REMINDER_DAYS: '10,20' }, clock)
  const { key } = await createOrganisation(app, { email: 'jump@charity.test' })
  const { key: silentKey } = await createOrganisation(app, {})
  await createScheme(app, key, { name: 'Jumper', ...remote })
  await createScheme(app, silentKey, { name: 'No address', ...remote })
  clock.at(25)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 1 })
  t.same(smtp.arrived.map((m) => m.subject), ['Last notice: please confirm "Jumper" on Signpost'])
  clock.at(26)
  t.match(await scheduler.runOnce(), { reminders: 0 })
})
