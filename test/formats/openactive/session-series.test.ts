import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { toSessionSeries, notAnOpportunity } from '../../../src/formats/openactive/session-series.ts'
import { ACCESSIBILITY_SUPPORT, ACTIVITY_CONCEPTS } from '../../../src/formats/openactive/concepts.ts'
import { durationOf } from '../../../src/formats/openactive/schedules.ts'
import { VOCABULARIES } from '../../../src/domain/vocabularies.ts'
import { BASE, HALL_ID, PARK_ID, scheme, venue } from './documents.ts'
import { failures, oaValidate, undocumentedWarnings } from './validator.ts'

const ctx = { base: BASE, nationOf: (postcode: string) => (postcode.startsWith('EH') ? 'Scotland' : 'England') }
const map = (over: Record<string, unknown> = {}) => toSessionSeries({ scheme: scheme(over) }, ctx)

/** The validator's verdict on a document: no failure, and every warning one that docs/openactive.md explains. */
async function valid(t: Test, doc: unknown, name: string) {
  const found = await oaValidate(doc)
  t.same(failures(found), [], `${name}: no failures`)
  t.same(undocumentedWarnings(found), [], `${name}: every warning is explained in docs/openactive.md`)
}

t.test('every concept the tables name is in its OpenActive list, with its prefLabel', async (t) => {
  const list = (file: string) => new Map<string, string>(JSON.parse(readFileSync(new URL(`../../fixtures/openactive/${file}`, import.meta.url), 'utf8'))
    .concept.map((c: { id: string; prefLabel: string }) => [c.id, c.prefLabel]))
  const activities = list('activity-list.jsonld')
  for (const [code, concepts] of Object.entries(ACTIVITY_CONCEPTS)) {
    t.ok(code in VOCABULARIES.categories, `${code} is a category`)
    for (const c of concepts!) t.equal(activities.get(c.id), c.prefLabel, `${code}: ${c.prefLabel}`)
  }
  const support = list('accessibility-support.jsonld')
  for (const [code, c] of Object.entries(ACCESSIBILITY_SUPPORT)) {
    t.ok(code in VOCABULARIES.accessibility, `${code} is an access code`)
    t.equal(support.get(c!.id), c!.prefLabel, `${code}: ${c!.prefLabel}`)
  }
  // SPEC §2 lists the support categories apart: none is an activity
  for (const code of ['befriending', 'peer_support', 'money_debt_advice', 'food_bank', 'mental_wellbeing']) t.notOk(code in ACTIVITY_CONCEPTS, code)
})

t.test('a weekly choir at one hall', async (t) => {
  const doc = map({ accessibility: ['bsl'], min_age: 16, cost: { free: false, amount_pence: 350, per: 'session', concessions: 'Free for carers' } })!
  t.match(doc, {
    '@context': 'https://openactive.io/', '@type': 'SessionSeries', '@id': `${BASE}/v1/schemes/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`,
    url: `${BASE}/find/schemes/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`, name: 'Rye Lane Community Choir',
    activity: [{ '@type': 'Concept', '@id': 'https://openactive.io/activity-list#e2b21a40-66a4-42bb-a24f-3638cc356299', prefLabel: 'Singing',
      inScheme: 'https://openactive.io/activity-list' }],
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: { '@type': 'Place', '@id': `${BASE}/v1/venues/${HALL_ID}`, name: 'Rye Lane Methodist Hall',
      address: { streetAddress: '174 Rye Lane', addressLocality: 'London', addressRegion: 'England', postalCode: 'SE15 4NB', addressCountry: 'GB' },
      geo: { latitude: 51.4668, longitude: -0.0689 } },
    organizer: { '@type': 'Organization', name: 'Rye Lane Singers' },
    offers: [{ '@type': 'Offer', price: 3.5, priceCurrency: 'GBP', description: 'Per session. Free for carers' }],
    isAccessibleForFree: false,
    ageRange: { '@type': 'QuantitativeValue', minValue: 16 },
    eventSchedule: [{ '@type': 'Schedule', scheduledEventType: 'ScheduledSession', repeatFrequency: 'P1W', byDay: ['https://schema.org/Thursday'],
      startTime: '19:00', endTime: '21:00', duration: 'PT2H', scheduleTimezone: 'Europe/London' }],
  })
  // the venue's step_free and hearing_loop and the scheme's bsl; seating has no concept
  t.same((doc.accessibilitySupport as any[]).map((c) => c.prefLabel), ['Physical impairment', 'Hearing impairment'])
  t.equal(doc.accessibilityInformation, 'Step-free access. Hearing loop. Seating available. British Sign Language.')
  t.notOk('schedulingNote' in doc, 'every session is described by a Schedule')
  await valid(t, doc, 'choir')
})

t.test('schedules: fortnightly, monthly, once, past midnight, breaks and bank holidays', async (t) => {
  const doc = map({
    updated_at: '2026-12-01T10:00:00.000Z',
    breaks: [{ from: '2027-08-01', to: '2027-08-14', reason: 'summer break' }],
    sessions: [
      { venue_id: HALL_ID, frequency: 'fortnightly', days: ['mon'], starts: '10:00', ends: '11:30', valid_from: '2026-11-02', valid_to: '2027-12-31',
        except_bank_holidays: true, except_dates: ['2026-11-30'] },
      { venue_id: HALL_ID, frequency: 'monthly', days: ['tue', 'fri'], week_of_month: -1, starts: '22:00', ends: '01:00' },
      { venue_id: HALL_ID, frequency: 'once', date: '2027-01-09', starts: '14:00', ends: '16:00' },
      { venue_id: HALL_ID, frequency: 'once', date: '2027-08-07', starts: '14:00', ends: '16:00' },
    ],
  })!
  const [fortnightly, monthly, once, ...rest] = doc.eventSchedule as any[]
  t.same(rest, [], 'the once session in the summer break does not run, so it has no Schedule')
  t.match(fortnightly, { repeatFrequency: 'P2W', byDay: ['https://schema.org/Monday'], startDate: '2026-11-02', endDate: '2027-12-31', duration: 'PT1H30M' })
  // Independent: the weeks from 2 November 2026 that are even, then England's Monday bank holidays of 2027
  // (Easter Monday 29 March, 3 and 31 May, 30 August) that fall on them, and the Mondays of the break.
  // 29 March 2027 is 21 weeks on (odd: not a session day); 3 May 26 weeks (even); 31 May 30 (even); 30 Aug 43 (odd);
  // the break's Mondays: 2 August (39 weeks, odd) and 9 August (40, even).
  // And Christmas: 28 December 2026 (Boxing Day's substitute) is 8 weeks on, 27 December 2027 (Christmas Day's) 60: both even.
  t.same(fortnightly.exceptDate, ['2026-11-30', '2026-12-28', '2027-05-03', '2027-05-31', '2027-08-09', '2027-12-27'])
  t.match(monthly, { repeatFrequency: 'P1M', byDay: ['-1TU', '-1FR'], startTime: '22:00', endTime: '01:00', duration: 'PT3H' })
  t.notOk('exceptDate' in monthly, 'August 2027\'s last Tuesday (31st) and Friday (27th) are after the break; it keeps bank holidays')
  t.match(once, { repeatFrequency: 'P1D', startDate: '2027-01-09', endDate: '2027-01-09', repeatCount: 1, startTime: '14:00' })
  t.notOk('exceptDate' in once)
  await valid(t, doc, 'schedules')
})

t.test('online only: no location; a scheme with in-person and online sessions is mixed', async (t) => {
  const online = map({ delivery: ['online'], service_area: { type: 'national' }, venues: [],
    sessions: [{ venue_id: null, frequency: 'weekly', days: ['wed'], starts: '19:30', ends: '20:15' }] })!
  t.equal(online.eventAttendanceMode, 'https://schema.org/OnlineEventAttendanceMode')
  t.notOk('location' in online, 'an online event has no location')
  t.match(online.eventSchedule, [{ byDay: ['https://schema.org/Wednesday'], duration: 'PT45M' }])
  await valid(t, online, 'online')

  const mixed = map({ delivery: ['in_person', 'online'], service_area: { type: 'national' },
    sessions: [{ venue_id: HALL_ID, frequency: 'weekly', days: ['thu'], starts: '19:00', ends: '21:00' },
      { venue_id: null, frequency: 'weekly', days: ['sun'], starts: '16:00', ends: '17:00' }] })!
  t.equal(mixed.eventAttendanceMode, 'https://schema.org/MixedEventAttendanceMode')
  t.equal((mixed.eventSchedule as unknown[]).length, 2)
  await valid(t, mixed, 'mixed')
})

t.test('several venues: the first session\'s venue is the location, its sessions the schedules, the rest in the scheduling note', async (t) => {
  const doc = map({
    sessions: [{ venue_id: HALL_ID, frequency: 'weekly', days: ['thu'], starts: '19:00', ends: '21:00' },
      { venue_id: PARK_ID, frequency: 'weekly', days: ['sat'], starts: '10:00', ends: '11:00' }],
    venues: [venue(HALL_ID), venue(PARK_ID, { address: { line1: 'Peckham Rye Park', town: 'Edinburgh', postcode: 'EH1 1AA' } } as any)],
  })!
  t.match(doc.location, { '@id': `${BASE}/v1/venues/${HALL_ID}`, description: 'Step-free access. Hearing loop. Seating available.' })
  const bare = map({ venues: [venue(HALL_ID, { accessibility: [] })] })!
  t.match(bare.location, { description: 'The venue lists no access features.' })
  t.match(doc.eventSchedule, [{ byDay: ['https://schema.org/Thursday'] }])
  t.equal((doc.eventSchedule as unknown[]).length, 1)
  t.equal(doc.schedulingNote, 'Thursdays and Saturdays, mornings and evenings')
  await valid(t, doc, 'several venues')
})

t.test('times by arrangement: a PartialSchedule and the summary as the scheduling note', async (t) => {
  const doc = map({ delivery: ['online'], service_area: { type: 'national' }, by_arrangement: true, sessions: [], venues: [] })!
  t.same(doc.eventSchedule, [{ '@type': 'PartialSchedule', scheduleTimezone: 'Europe/London' }])
  t.match(doc.schedulingNote, /arrange/i)
  await valid(t, doc, 'by arrangement')
})

t.test('what is not an OpenActive opportunity', async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a book club', { categories: ['book_club'] }, /activity list/],
    ['advice', { categories: ['money_debt_advice', 'benefits_advice'] }, /activity list/],
    ['paused', { status: 'paused' }, /paused/],
    ['ended', { status: 'ended' }, /ended/],
    ['telephone only', { delivery: ['telephone'], service_area: { type: 'national' }, venues: [],
      sessions: [{ venue_id: null, frequency: 'weekly', days: ['mon'], starts: '10:00', ends: '11:00' }] }, /no venue and is not online/],
  ]
  for (const [name, over, why] of cases) {
    t.match(notAnOpportunity(scheme(over)), why, name)
    t.equal(map(over), null, name)
  }
  // a book club that also walks is one, with the walking concept only
  const walkers = map({ categories: ['book_club', 'walking', 'nature_outdoors'] })!
  t.same((walkers.activity as any[]).map((a) => a.prefLabel), ['Walking'])
  t.same(walkers.category, ['Book club', 'Walking', 'Nature and outdoors'])
})

t.test('durations, past midnight included', async (t) => {
  t.equal(durationOf('18:00', '19:00'), 'PT1H')
  t.equal(durationOf('18:15', '19:00'), 'PT45M')
  t.equal(durationOf('23:30', '01:00'), 'PT1H30M')
  t.equal(durationOf('22:00', '06:00'), 'PT8H')
})
