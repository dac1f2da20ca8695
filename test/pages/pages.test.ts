/**
 * The pages with the fields other parts of the API add to the documents (a session's
 * `summary`, `schedule_summary`, `by_arrangement`, `always_open`, `referral`, `capacity`,
 * `contact.text`, a scheme's `venues`, a page's `suggestions`): shown when present, and
 * escaped like everything else.
 */
import t from 'tap'
import { resultsPage, schemePage } from '../../src/pages/pages.ts'

const venue = { id: 'v1', name: 'Rye Lane Hall', address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4AA' }, accessibility: ['step_free'] }
const item = {
  id: 's1', name: 'Evening Walk', organisation: { id: 'o1', name: 'Rye Walkers' }, delivery: ['in_person', 'telephone'], cost: { free: true },
  accessibility: ['bsl'], self_referral: true, accepting_referrals: true, distance_m: 412.5, venue,
  matching_sessions: [{ venue_id: 'v1', frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00', summary: 'Every Tuesday, 6pm to 7pm <br>' }],
  next_occurrences: ['2026-11-24T18:00:00Z'],
  schedule_summary: 'Tuesday evenings',
  by_arrangement: true,
  capacity: { status: 'waiting_list', waiting_weeks: 3, updated_at: '2026-11-20T10:00:00Z' },
  referral: { methods: ['self', 'phone'], accepted_from: ['link_worker'], instructions: 'Ring & ask for <Sam>', url: 'javascript:alert(1)', email: 'refer@walk.example', phone: '020 7946 0000' },
  contact: { phone: '020 7946 0958', text: 'Ask at the café <counter>' },
  stale: false,
}

t.test('a result with every added field', async (t) => {
  const html = resultsPage('n0nce', { postcode: 'SE15 4' }, { items: [item], next_cursor: 'CUR' })
  t.match(html, /Every Tuesday, 6pm to 7pm &lt;br&gt;/, 'the session\'s own summary, escaped')
  t.notMatch(html, /Every Tuesday, 6pm to 7pm<br>/)
  t.match(html, /Times arranged with you/)
  t.match(html, /Waiting list \(about 3 weeks, updated 20 November 2026\)/)
  t.match(html, /How to join: The person gets in touch themselves, Phone call/)
  t.match(html, /Referrals accepted from: Social prescribing link worker/)
  t.match(html, /Ring &amp; ask for &lt;Sam&gt;/)
  t.notMatch(html, /javascript:/, 'only web addresses become links')
  t.match(html, /<a href="mailto:refer@walk.example">Refer by email: refer@walk.example<\/a>/)
  t.match(html, /<a href="tel:02079460000">Refer by phone: 020 7946 0000<\/a>/)
  t.match(html, /Ask at the café &lt;counter&gt;/)
  t.match(html, /0.4 km away/)
  t.match(html, /British Sign Language/)
  t.match(html, /<time datetime="2026-11-24T18:00:00Z">Tuesday 24 November at 6pm<\/time>/)
  t.match(html, /href="\/find\?postcode=SE15\+4&amp;cursor=CUR"/, 'the next page')
  t.match(html, /1 result, nearest first \(more on the next page\)/)
})

t.test('no results, with the search\'s suggestions', async (t) => {
  const page = {
    items: [], next_cursor: null,
    suggestions: {
      nearest: [{ id: 'n1', name: 'Far <Choir>', organisation: { id: 'o', name: 'Choirs' }, distance_m: 6800 }, { id: 'n2', name: 'Further Walk', organisation: { id: 'o', name: 'Walks' }, distance_m: 7900 }],
      without: [{ without: 'accessibility=seating', matches: 1, capped: false }, { without: 'period=evening', matches: 50, capped: true }],
    },
  }
  const html = resultsPage('n', { postcode: 'SE15 4', accessibility: 'seating,step_free', period: 'evening' }, page)
  t.match(html, /No groups found near SE15 4/)
  t.match(html, /<a href="\/find\/schemes\/n1\?back=[^"]+">Far &lt;Choir&gt;<\/a>, run by Choirs: 6.8 km away/)
  t.match(html, /<a href="\/find\/schemes\/n2\?back=[^"]+">Further Walk<\/a>/)
  t.match(html, /<a href="\/find\?postcode=SE15\+4&amp;accessibility=seating%2Cstep_free&amp;period=evening&amp;radius_m=8000">Search up to 8 km away<\/a>/)
  t.match(html, /<a href="\/find\?postcode=SE15\+4&amp;accessibility=step_free&amp;period=evening">Without ‘Seating available’<\/a> \(1 result\)/)
  t.match(html, /<a href="\/find\?postcode=SE15\+4&amp;accessibility=seating%2Cstep_free">Without ‘Evening \(17:00–23:00\)’<\/a> \(at least 50 results\)/)
})

t.test('a scheme page with its venues, schedule summary and referral', async (t) => {
  const doc = {
    ...item, description: 'A walk.', status: 'paused', always_open: true, last_verified_at: '2026-01-02T10:00:00Z', stale: true, venues: [venue],
    referral: { ...item.referral, url: 'https://walk.example/refer' },
    sessions: item.matching_sessions, min_age: 18, languages: ['en', 'cy', 'bsl'], audience: [], needs: ['loneliness'], categories: ['walking'],
  }
  const html = schemePage('n', { doc, venues: new Map([['v1', venue]]), current: doc.sessions, next: ['2026-06-02T17:00:00Z'] }, 'postcode=SE15+4&days=tue&utm=x')
  t.match(html, /<p class="nhsuk-body-l">Tuesday evenings<\/p>/)
  t.match(html, /Open any time/)
  t.match(html, /Rye Lane Hall, 1 Rye Lane, London SE15 4AA/)
  t.match(html, /<a href="https:\/\/walk.example\/refer">Refer online<\/a>/)
  t.match(html, /This group is not running at the moment/)
  t.match(html, /English, Welsh, British Sign Language/)
  t.match(html, /Ages 18 and over/)
  t.match(html, /Everyone/)
  t.match(html, /Tuesday 2 June at 6pm/)
  t.match(html, /Details last checked 2 January 2026. That was over 6 months ago/)
  t.match(html, /href="\/find\?postcode=SE15\+4&amp;days=tue"/, 'back to the search, without what the search does not know')
})
