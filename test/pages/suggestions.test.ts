import t from 'tap'
import { filtersOf, widerRadius, withoutQuery, withoutText } from '../../src/pages/suggestions.ts'

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
