import t from 'tap'
import { fieldErrors, formFields, isSubmitted, searchQueryOf } from '../../src/pages/search-form.ts'

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
  t.same(f.delivery.map((d) => d.text), ['In person, at a venue', 'Online', 'By phone', 'At home (a home visit)', 'By text or online chat'])
})

t.test('problem items as the error summary lists them', async (t) => {
  t.same(fieldErrors([{ parameter: 'postcode', message: 'x' }], 'not_found'), [{ field: 'postcode', text: 'We could not find that postcode. Check it and try again', href: '#postcode' }])
  t.same(fieldErrors([{ parameter: 'q', message: 'must not be empty' }]), [{ field: 'q', text: 'q: must not be empty' }], 'a parameter without a field: no link')
})
