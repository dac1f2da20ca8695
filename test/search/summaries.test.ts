/**
 * The search page's cached summaries give exactly the text of src/domain/schedule-summary.ts,
 * for random sessions of every frequency with random breaks and flags, asked once and asked
 * again (from the cache). Bad inputs: none, rules come from the API's validated documents.
 */
import t from 'tap'
import fc from 'fast-check'
import { scheduleSummary, sessionSummary } from '../../src/domain/schedule-summary.ts'
import { breaksKey, scheduleSummaryCached, sessionSummaryCached } from '../../src/search/summaries.ts'
import { breaksArb, datesFrom, sessionRuleArb } from '../fixtures/session-rules.ts'

const dateArb = datesFrom('2026-09-01')
const timeArb = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`)
const ruleArb = fc.tuple(sessionRuleArb(dateArb, timeArb, '2026-09-02'), timeArb).map(([s, ends]) => ({ ...s, ends }))
const reasonArb = fc.option(fc.constantFrom('summer break', 'Christmas', 'refurbishment'), { nil: undefined })
const withReasons = breaksArb(dateArb).chain((bs) => fc.tuple(...bs.map(() => reasonArb)).map((rs) => bs.map((b, i) => (rs[i] ? { ...b, reason: rs[i] } : b))))

t.test('the same text as the schedule-summary module, cached or not', async (t) => {
  let compared = 0
  fc.assert(fc.property(fc.array(ruleArb, { minLength: 0, maxLength: 4 }), withReasons, fc.boolean(), fc.boolean(), (rules, breaks, arranged, open) => {
    const scheme = { sessions: rules, breaks, by_arrangement: arranged, always_open: open }
    const expected = [scheduleSummary(scheme), ...rules.map((s) => sessionSummary(s, breaks))]
    const key = breaksKey(breaks)
    const first = [scheduleSummaryCached(scheme, key), ...rules.map((s) => sessionSummaryCached(s, breaks, key))]
    const again = [scheduleSummaryCached(scheme), ...rules.map((s) => sessionSummaryCached(s, breaks))]
    compared++
    return JSON.stringify(first) === JSON.stringify(expected) && JSON.stringify(again) === JSON.stringify(expected)
  }), { seed: 20261205, numRuns: 3000 })
  t.equal(compared, 3000)
})
