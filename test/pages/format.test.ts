import t from 'tap'
import { sessionSummary } from '../../src/domain/schedule-summary.ts'
import type { SessionRule } from '../../src/domain/schedule.ts'
import { clockText, costText, dateText, distanceText, label, sessionText, ukDateTimeText, webUrl } from '../../src/pages/format.ts'

t.test('times and dates in the NHS.UK style, on the UK clock', async (t) => {
  t.same(['00:00', '06:05', '09:00', '12:00', '12:30', '18:00', '18:30', '23:59'].map(clockText),
    ['midnight', '6:05am', '9am', 'midday', '12:30pm', '6pm', '6:30pm', '11:59pm'])
  t.equal(ukDateTimeText('2026-11-24T18:00:00Z'), 'Tuesday 24 November at 6pm', 'winter: UTC is UK time')
  t.equal(ukDateTimeText('2026-06-02T18:00:00+01:00'), 'Tuesday 2 June at 6pm', 'summer: the UK offset')
  t.equal(ukDateTimeText('2026-06-02T17:00:00Z'), 'Tuesday 2 June at 6pm', 'summer, written in UTC')
  t.equal(ukDateTimeText('2026-03-29T00:30:00Z'), 'Sunday 29 March at 12:30am', 'the night the clocks go forward')
  t.equal(dateText('2026-12-05'), 'Saturday 5 December 2026')
})

t.test('distances and costs', async (t) => {
  t.same([50, 99, 100, 449, 1000, 1549, 9949, 9960, 12400, 200000].map(distanceText),
    ['less than 0.1 km', 'less than 0.1 km', '0.1 km', '0.4 km', '1 km', '1.5 km', '9.9 km', '10 km', '12 km', '200 km'])
  t.equal(costText({ free: true }), 'Free')
  t.equal(costText(undefined), 'Free')
  t.equal(costText({ free: false, amount_pence: 300, per: 'session' }), '£3 per session')
  t.equal(costText({ free: false, amount_pence: 250, per: 'week' }), '£2.50 per week')
  t.equal(costText({ free: false, amount_pence: 1000 }), '£10')
  t.equal(costText({ free: false }), 'There is a cost')
})

t.test('a session: its summary when the API gives one, else the same words from its rule', async (t) => {
  t.equal(sessionText({ frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '20:00', summary: 'Every Tuesday, 6pm to 8pm (not in August)' }),
    'Every Tuesday, 6pm to 8pm (not in August)')
  const rules: SessionRule[] = [
    { frequency: 'weekly', days: ['tue', 'thu'], starts: '18:00', ends: '19:30' },
    { frequency: 'fortnightly', days: ['sat'], starts: '10:00', ends: '12:00', valid_from: '2026-11-07' },
    { frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00', ends: '16:00' },
    { frequency: 'once', date: '2026-12-20', starts: '19:00', ends: '20:00' },
  ]
  for (const r of rules) t.equal(sessionText(r), sessionSummary(r), `${r.frequency}: the API's words, never a second text`)
  t.equal(sessionText({ frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '02:00' }), 'Every Friday, 10pm to 2am', 'past midnight')
  t.equal(sessionText({ frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00', ends: '16:00' }), 'Last Wednesday of the month, 2pm to 4pm')
})

t.test('labels and links', async (t) => {
  t.equal(label('accessibility', 'step_free'), 'Step-free access')
  t.equal(label('referral_methods', 'link_worker'), 'Link worker', 'a code of a vocabulary not known here is made readable')
  t.equal(webUrl('https://example.org/a?b=1'), 'https://example.org/a?b=1')
  t.equal(webUrl('javascript:alert(1)'), null)
  t.equal(webUrl('not a url'), null)
})
