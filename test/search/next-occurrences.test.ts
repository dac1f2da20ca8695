/**
 * The search page's cached next occurrences give exactly what src/domain/schedule.ts's
 * nextOccurrences gives, for random session rules of every frequency and random instants
 * (around both 2027 clock changes and at UK midnight too), asked once and asked again
 * (from the cache). Bad inputs: none, rules come from the API's validated documents.
 */
import t from 'tap'
import fc from 'fast-check'
import { nextOccurrences, type SessionRule } from '../../src/domain/schedule.ts'
import { nextOccurrencesCached } from '../../src/search/next-occurrences.ts'
import { datesFrom, sessionRuleArb } from '../fixtures/session-rules.ts'

const dateArb = datesFrom('2026-09-01')
const timeArb = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`)
const ruleArb = sessionRuleArb(dateArb, timeArb, '2026-09-02')
// instants from autumn 2026 to spring 2028, and some right at the changes and at UK midnight
const instantArb = fc.oneof(
  fc.integer({ min: Date.UTC(2026, 8, 1), max: Date.UTC(2028, 3, 1) }),
  fc.constantFrom(Date.UTC(2027, 2, 28, 0, 59), Date.UTC(2027, 2, 28, 1, 0), Date.UTC(2027, 9, 30, 23, 30), Date.UTC(2027, 9, 31, 0, 59, 59),
    Date.UTC(2027, 9, 31, 1, 0), Date.UTC(2027, 5, 30, 23, 0), Date.UTC(2027, 0, 1, 0, 0)),
  fc.integer({ min: Date.UTC(2027, 0, 28), max: Date.UTC(2027, 2, 31) }), // the windows that cross the spring change
).map((ms) => new Date(ms))

t.test('the same next occurrences as the schedule module, cached or not', async (t) => {
  let compared = 0, nonEmpty = 0
  fc.assert(fc.property(fc.array(ruleArb, { minLength: 0, maxLength: 4 }), instantArb, (rules, now) => {
    const expected = nextOccurrences(rules, now)
    const first = nextOccurrencesCached(rules, now)
    const again = nextOccurrencesCached(rules, now)
    compared++
    if (expected.length) nonEmpty++
    return JSON.stringify(first) === JSON.stringify(expected) && JSON.stringify(again) === JSON.stringify(expected)
  }), { seed: 20261121, numRuns: 3000 })
  t.ok(nonEmpty > compared / 3, `most cases have occurrences (${nonEmpty} of ${compared})`)
})

t.test('a rule cached on one day answers for a later moment of that day and not past it', async (t) => {
  const weekly: SessionRule = { frequency: 'weekly', days: ['tue'], starts: '18:00' }
  t.same(nextOccurrencesCached([weekly], new Date('2027-03-23T10:00:00Z')), ['2027-03-23T18:00:00Z', '2027-03-30T18:00:00+01:00', '2027-04-06T18:00:00+01:00'])
  t.same(nextOccurrencesCached([weekly], new Date('2027-03-23T18:00:00Z')), ['2027-03-30T18:00:00+01:00', '2027-04-06T18:00:00+01:00', '2027-04-13T18:00:00+01:00'], 'strictly after now')
  t.same(nextOccurrencesCached([weekly, { ...weekly }], new Date('2027-05-20T12:00:00Z')).length, 3, 'the same instant from two sessions counts once')
  t.same(nextOccurrencesCached([], new Date()), [])
  // 60 × 24 h after 23:30 on 10 February 2027 is 00:30 BST on 12 April, the 61st UK day
  const lateMonday: SessionRule = { frequency: 'weekly', days: ['mon'], starts: '00:15', valid_from: '2027-04-12' }
  t.same(nextOccurrences([lateMonday], new Date('2027-02-10T23:30:00Z')), ['2027-04-12T00:15:00+01:00'], 'the schedule module counts the 61st day')
  t.same(nextOccurrencesCached([lateMonday], new Date('2027-02-10T23:30:00Z')), ['2027-04-12T00:15:00+01:00'], 'and so does the cache')
})
