/**
 * Issue 15's loop, end to end on this database: schemes age under the test's clock, reminders
 * reach a real SMTP server once each, a link confirms one scheme, the public reports another
 * ended and its owner ends it through the link, a third goes unconfirmed past 365 days and
 * leaves search and the ORUK feed, then returns when confirmed.
 */
import t from 'tap'
import { call, createOrganisation, createScheme, weekly } from '../fixtures/api.ts'
import { buildWithScheduler, testClock } from './app.ts'
import { smtpServer } from './smtp.ts'

const pathOf = (link: string) => new URL(link).pathname
const form = (answer: string) => ({ body: `answer=${answer}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })

t.test('reminders, a confirmation, an ending reported and confirmed, a scheme unlisted and back', async (t) => {
  const smtp = await smtpServer(t)
  const clock = testClock()
  const { app, scheduler } = await buildWithScheduler(t, { SMTP_URL: smtp.url, MAIL_FROM: 'Signpost <directory@signpost.test>' }, clock)
  const { organisation, key, admin } = await createOrganisation(app, { name: 'Peckham Friends', email: 'team@peckham-friends.test' })
  const remote = { delivery: ['online'], service_area: { type: 'national' } }
  const a = await createScheme(app, key, { name: 'Art Club', ...remote, sessions: [weekly(null)] })
  const b = await createScheme(app, key, { name: 'Book Club', ...remote, sessions: [weekly(null)] })
  const c = await createScheme(app, key, { name: 'Choir', ...remote, sessions: [weekly(null)] })
  /** A scheme's latest item in the change feed, walked from the start. */
  const feedItem = async (id: string) => {
    let last: any
    for (let next = '/v1/feeds/schemes?limit=100'; ;) {
      const body = (await call(app, 'GET', next)).json()
      if (body.items.length === 0) return last
      for (const item of body.items) if (item.id === id) last = item
      next = new URL(body.next).pathname + new URL(body.next).search
    }
  }
  const listed = async (extra = '') => (await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}${extra}`)).json().items.map((i: any) => i.name).sort()

  clock.at(30)
  t.match(await scheduler.runOnce(), { planned: true, reminders: 0, sent: 0 }, 'nothing due at 30 days')

  // 90 days: one e-mail with all three schemes, each with its own link
  clock.at(91)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 1, failed: 0 })
  t.equal(smtp.arrived.length, 1)
  const first = smtp.arrived[0]
  t.same(first.to, ['team@peckham-friends.test'])
  t.equal(first.from, 'directory@signpost.test')
  t.equal(first.subject, 'Please confirm 3 of your listings on Signpost')
  t.equal(first.links.length, 3, 'a link per scheme')
  t.ok(first.links.every((l) => l.startsWith('https://signpost.test/confirm/')), 'links on PUBLIC_BASE_URL')
  t.match(first.text, /Art Club: not confirmed for 90 days/)
  t.match(await scheduler.runOnce(), { reminders: 0, sent: 0 }, 'a second run sends nothing again')
  const linkFor = (mail: typeof first, name: string) => {
    const lines = mail.text.split(/\r?\n/)
    const at = lines.findIndex((l) => l.startsWith(`* ${name}:`))
    return pathOf(/https?:\/\/\S+/.exec(lines[at + 1])![0])
  }

  // A: "Still correct" through its link
  const pageA = await call(app, 'GET', linkFor(first, 'Art Club'))
  t.equal(pageA.statusCode, 200)
  t.match(pageA.body, /Is this listing still correct\?/)
  t.match(pageA.body, /Art Club/)
  t.match(pageA.body, /value="confirmed"[^>]*>Still correct/)
  t.match(pageA.body, /Needs changes \/ has ended/)
  const confirmA = await call(app, 'POST', linkFor(first, 'Art Club'), form('confirmed'))
  t.equal(confirmA.statusCode, 200)
  t.match(confirmA.body, /the listing is confirmed/)
  const aNow = (await call(app, 'GET', `/v1/schemes/${a.id}`)).json()
  t.equal(aNow.last_verified_at, clock().toISOString(), 'last_verified_at is the confirmation')
  t.equal(aNow.version, a.version + 1)
  const history = (await call(app, 'GET', `/v1/schemes/${a.id}/history`)).json().items[0]
  t.match(history, { action: 'verify', actor: { key_id: null, role: 'confirmation link' } })
  const again = await call(app, 'POST', linkFor(first, 'Art Club'), form('confirmed'))
  t.equal(again.statusCode, 410)
  t.match(again.body, /already been used/)
  t.equal((await call(app, 'GET', `/v1/schemes/${a.id}`)).json().version, a.version + 1, 'a used link changes nothing')
  const forged = await call(app, 'POST', `/confirm/${'A'.repeat(43)}`, form('confirmed'))
  t.equal(forged.statusCode, 404)
  t.match(forged.body, /This link is not valid/)

  // B: two people report it has ended: a confirmation request goes out at once, and the day's digest
  clock.at(100)
  for (const remoteAddress of ['198.51.100.7', '198.51.100.7', '203.0.113.9']) {
    const r = await app.inject({ method: 'POST', url: `/v1/schemes/${b.id}/reports`, remoteAddress,
      headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ kind: 'has_ended', message: 'The library closed in May.' }) })
    t.equal(r.statusCode, 201, r.body)
  }
  t.match(await scheduler.runOnce(), { sent: 2 })
  const request = smtp.arrived.find((m) => m.subject === 'Has "Book Club" ended? Please confirm on Signpost')
  const digest = smtp.arrived.find((m) => m.subject === '3 new reports about your listings on Signpost')
  t.ok(request, 'a confirmation request', { subjects: smtp.arrived.map((m) => m.subject) })
  t.ok(digest, 'the report digest')
  t.match(digest!.text, /Book Club: it has ended\s+"The library closed in May\."/)
  t.equal(request!.links.length, 1)
  // the owner: "Needs changes / has ended", then "It has ended"
  const changes = await call(app, 'POST', pathOf(request!.links[0]), form('changes'))
  t.equal(changes.statusCode, 200)
  t.match(changes.body, /Has it ended, or does it need changes\?/)
  const ended = await call(app, 'POST', pathOf(request!.links[0]), form('ended'))
  t.equal(ended.statusCode, 200)
  t.match(ended.body, /marked as ended/)
  t.match((await call(app, 'GET', `/v1/schemes/${b.id}`)).json(), { status: 'ended' })
  t.match((await call(app, 'GET', `/v1/schemes/${b.id}/history`)).json().items[0], { action: 'update', actor: { role: 'confirmation link' } })
  t.same(await listed(), ['Art Club', 'Choir'], 'an ended scheme leaves search')

  // 150 and 170 days: C alone (A was confirmed at 91, B has ended); C's 90-day link has expired
  clock.at(151)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 1 })
  const second = smtp.arrived[smtp.arrived.length - 1]
  t.equal(second.subject, 'Please confirm "Choir" on Signpost')
  t.match(second.text, /Choir: not confirmed for 150 days/)
  const expired = await call(app, 'GET', linkFor(first, 'Choir'))
  t.equal(expired.statusCode, 410)
  t.match(expired.body, /This link has expired/)
  clock.at(171)
  t.match(await scheduler.runOnce(), { reminders: 1, sent: 1 })
  t.equal(smtp.arrived[smtp.arrived.length - 1].subject, 'Last notice: please confirm "Choir" on Signpost')
  t.match(smtp.arrived[smtp.arrived.length - 1].text, /LAST NOTICE: not confirmed for 170 days/)

  // 366 days: C leaves search and the ORUK feed; include_unconfirmed brings it back into search
  clock.at(366)
  t.match(await scheduler.runOnce(), { unlisted: 1 })
  t.same(await listed(), ['Art Club'], 'C is out of search')
  t.same(await listed('&include_unconfirmed=true'), ['Art Club', 'Choir'], 'include_unconfirmed brings it back')
  t.equal((await call(app, 'GET', `/oruk/services/${c.id}`)).statusCode, 404, 'out of the ORUK feed')
  const orukIds = async () => (await call(app, 'GET', '/oruk/services?per_page=50')).json().contents.map((s: any) => s.id)
  t.notOk((await orukIds()).includes(c.id))
  t.ok((await orukIds()).includes(a.id))
  t.equal((await call(app, 'GET', `/v1/schemes/${c.id}`)).statusCode, 200, 'still readable by id')
  t.match(await feedItem(c.id), { state: 'deleted' }, 'the change feed shows it deleted')
  t.notOk((await feedItem(c.id)).data)
  const due = (await call(app, 'GET', `/v1/organisations/${organisation.id}/due`, { key })).json().items
  t.match(due.find((d: any) => d.id === c.id), { state: 'unconfirmed', days_since_confirmed: 365, last_reminder: { threshold: 170 } })

  // the owner confirms: back in search and the feed
  t.equal((await call(app, 'POST', `/v1/schemes/${c.id}/verify`, { key })).statusCode, 200)
  t.same(await listed(), ['Art Club', 'Choir'], 'C is back in search')
  t.equal((await call(app, 'GET', `/oruk/services/${c.id}`)).statusCode, 200, 'and in the ORUK feed')
  t.match(await feedItem(c.id), { state: 'updated', data: { id: c.id, name: 'Choir' } }, 'and updated in the change feed')

  // each message once: no two arrivals share a Message-ID
  const ids = smtp.arrived.map((m) => m.messageId)
  t.equal(new Set(ids).size, ids.length, `${ids.length} messages, each once`)
  t.ok(admin)
})
