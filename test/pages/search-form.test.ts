import t from 'tap'
import { fieldErrors, filtersOf, formFields, isSubmitted, searchQueryOf, widerRadius, withoutQuery, withoutText } from '../../src/pages/search-form.ts'

t.test('the browser\'s query as the search\'s parameters', async (t) => {
  t.same(searchQueryOf({ postcode: ' SE15 4 ', days: ['tue', 'thu'], period: 'evening', free: 'true', need: '', utm_source: 'x', accessibility: ['', 'step_free'] }),
    { postcode: 'SE15 4', days: 'tue,thu', period: 'evening', free: 'true', accessibility: 'step_free' })
  t.equal(isSubmitted({}), false)
  t.equal(isSubmitted({ utm_source: ['x'] }), false)
  t.equal(isSubmitted({ postcode: [''] }), true)
})

t.test('the form keeps what was chosen', async (t) => {
  const f = formFields({ postcode: 'SE15 4', days: 'tue,thu', radius_m: '7000', need: 'loneliness,anxiety', category: 'walking', cursor: 'abc' })
  t.equal(f.postcode, 'SE15 4')
  t.same(f.days.filter((d) => d.checked).map((d) => d.value), ['tue', 'thu'])
  t.same(f.radius.filter((r) => r.selected), [{ value: '7000', text: '7 km', selected: true }], 'a radius from a link is offered too')
  t.same(f.need.filter((n) => n.selected), [{ value: 'loneliness,anxiety', text: 'Loneliness or Anxiety', selected: true }])
  t.same(f.hidden, [{ name: 'category', value: 'walking' }], 'a search parameter without a field is carried; the cursor is not')
  t.same(f.delivery.map((d) => d.text), ['In person, at a venue', 'Online', 'By phone', 'At home (a home visit)'])
})

t.test('what to try when nothing matched', async (t) => {
  const q = { postcode: 'SE15 4', accessibility: 'seating,step_free', period: 'evening', free: 'true', cursor: 'x' }
  t.same(withoutQuery(q, 'accessibility=seating'), { postcode: 'SE15 4', accessibility: 'step_free', period: 'evening', free: 'true' })
  t.same(withoutQuery(q, 'period=evening'), { postcode: 'SE15 4', accessibility: 'seating,step_free', free: 'true' })
  t.same(withoutQuery(q, 'free=true'), { postcode: 'SE15 4', accessibility: 'seating,step_free', period: 'evening' })
  t.same(withoutQuery(q, 'accessibility=seating,step_free'), { postcode: 'SE15 4', period: 'evening', free: 'true' }, 'a whole list as the query spelt it')
  t.same(['accessibility=seating,step_free', 'days=tue,thu'].map(withoutText), ['Seating available and Step-free access', 'Tuesday or Thursday'])
  t.same(['accessibility=seating', 'free=true', 'days=tue', 'delivery=telephone', 'need=loneliness', 'category=walking'].map(withoutText),
    ['Seating available', 'Free only', 'Tuesday', 'By phone', 'Loneliness', 'category: walking'])
  t.same(filtersOf(q), ['period=evening', 'accessibility=seating', 'accessibility=step_free', 'free=true'])
  t.equal(widerRadius({}), 10000, 'the next step of the form')
  t.equal(widerRadius({ radius_m: '5000' }, [6200, 7900]), 8000, 'out to the furthest of the nearest, in whole km')
  t.equal(widerRadius({ radius_m: '200000' }), null, 'not past the search\'s limit')
})

t.test('problem items as the error summary lists them', async (t) => {
  t.same(fieldErrors([{ parameter: 'postcode', message: 'x' }], 'not_found'), [{ field: 'postcode', text: 'We could not find that postcode. Check it and try again', href: '#postcode' }])
  t.same(fieldErrors([{ parameter: 'q', message: 'must not be empty' }]), [{ field: 'q', text: 'q: must not be empty' }], 'a parameter without a field: no link')
})
