/**
 * The search pages through inject: what each bad input gives a person (an error summary
 * naming the field, never problem+json nor a 500), the scheme page's 404 and 410, the
 * assets, the pages' CSP, and that no postcode reaches the logs. The pages in a browser,
 * with axe-core: pages-browser.test.ts.
 */
import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createVenue } from '../fixtures/api.ts'

const HTML = { accept: 'text/html' }
const summaryOf = (body: string) => [...(/nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '').matchAll(/<li>\s*(?:<a href="([^"]*)">)?\s*([\s\S]*?)\s*(?:<\/a>)?\s*<\/li>/g)]
  .map((m) => ({ href: m[1] ?? null, text: m[2].replace(/\s+/g, ' ').trim() }))

t.test('bad inputs on the search form: the form again, with an NHS.UK error summary', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, string, number, Array<{ href: string | null; text: string }>]> = [
    ['an empty postcode', 'postcode=', 400, [{ href: '#postcode', text: 'Enter a postcode, like SE15 4AA' }]],
    ['choices but no postcode', 'days=tue&period=evening', 400, [{ href: '#postcode', text: 'Enter a postcode, like SE15 4AA' }]],
    ['not the shape of a postcode', 'postcode=SE15+XYZ', 400,
      [{ href: '#postcode', text: 'Enter a real postcode, like SE15 4AA, or the first part and one number, like SE15 4' }]],
    ['letters no postcode has (ZZ99)', 'postcode=ZZ99+9ZZ', 400,
      [{ href: '#postcode', text: 'Enter a real postcode, like SE15 4AA, or the first part and one number, like SE15 4' }]],
    ['a postcode over 16 characters', `postcode=${'A'.repeat(17)}`, 400,
      [{ href: '#postcode', text: 'Enter a real postcode, like SE15 4AA, or the first part and one number, like SE15 4' }]],
    ['a Northern Ireland postcode', 'postcode=BT1+1AA', 422,
      [{ href: '#postcode', text: 'Postcodes in Northern Ireland (starting BT) are not covered yet. Enter a postcode in England, Scotland or Wales' }]],
    ['an Isle of Man postcode', 'postcode=IM1+1AA', 422,
      [{ href: '#postcode', text: 'Postcodes in the Channel Islands and the Isle of Man are not covered. Enter a postcode in England, Scotland or Wales' }]],
    ['a well-formed postcode that does not exist', 'postcode=SE99+9ZZ', 422,
      [{ href: '#postcode', text: 'We could not find that postcode. Check it and try again' }]],
    ['an edited radius', 'postcode=SE15+4&radius_m=999999', 400, [{ href: '#radius_m', text: 'Choose how far you can travel from the list' }]],
    ['a radius that is not a number', 'postcode=SE15+4&radius_m=abc', 400, [{ href: '#radius_m', text: 'Choose how far you can travel from the list' }]],
    ['a day that is not a day, and a period that is not one', 'postcode=SE15+4&days=tue&days=xyz&period=dawn', 400, [
      { href: '#days', text: 'Days: unknown code &quot;xyz&quot;: give one or more of mon, tue, wed, thu, fri, sat, sun, comma-separated' },
      { href: '#period', text: 'Time of day: unknown code &quot;dawn&quot;: give one or more of morning, afternoon, evening, night, comma-separated' },
    ]],
    ['a made-up cursor', 'postcode=SE15+4&cursor=abc', 400, [{ href: null, text: 'The link to more results is out of date. Search again' }]],
    ['a NUL character in the postcode', 'postcode=SE15%004', 400, [{ href: '#postcode', text: 'Postcode: must not contain the NUL character (U+0000)' }]],
  ]
  for (const [what, query, status, summary] of cases) {
    const res = await app.inject({ url: `/find?${query}`, headers: HTML })
    t.equal(res.statusCode, status, `${what}: ${status}`)
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/, `${what}: a page`)
    t.match(res.body, /<title>Error: Find local groups and support – Signpost<\/title>/, `${what}: the title says Error`)
    t.same(summaryOf(res.body), summary, `${what}: the summary`)
    for (const s of summary) if (s.href) t.match(res.body, new RegExp(`id="${s.href.slice(1)}-error"|id="${s.href.slice(1)}"[^>]*aria-describedby="[^"]*-error`), `${what}: the field shows its error`)
  }
})

t.test('what a person typed is shown back escaped, never as markup', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: `/find?postcode=${encodeURIComponent('"><script>alert(1)</script>')}`, headers: HTML })
  t.equal(res.statusCode, 400)
  t.notMatch(res.body, /<script>alert/)
  t.match(res.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
})

t.test('parameters the search does not know (utm_source) are ignored, not refused', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/find?postcode=SE15+4&utm_source=newsletter', headers: HTML })
  t.equal(res.statusCode, 200)
  t.match(res.body, /No groups found near SE15 4/)
  t.notMatch(res.body, /utm_source/, 'and not carried in the links')
})

t.test('a result, its scheme page, and what is shown of it', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app, { name: 'Peckham <Together>' })
  const venue = await createVenue(app, key, { name: 'Rye Lane Hall', location: { lat: 51.4695, lon: -0.0691 }, accessibility: ['step_free'] })
  const made = await call(app, 'POST', '/v1/schemes', { key, body: {
    name: 'Tea & <b>Talk</b>', description: 'Company and a cup of tea.\n\nAll welcome.', categories: ['coffee_morning'], needs: ['loneliness'],
    delivery: ['in_person'], cost: { free: false, amount_pence: 250, per: 'session', concessions: 'Free for carers' }, self_referral: true,
    contact: { phone: '020 7946 0958', website: 'https://tea.example/join' }, accessibility: ['carer_free'],
    sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['tue'], starts: '18:30', ends: '20:00' }],
  } })
  t.equal(made.statusCode, 201, made.body)
  const scheme = made.json()

  const res = await app.inject({ url: '/find?postcode=SE15+4&period=evening', headers: HTML })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store', 'a page with a place in it is not kept')
  t.match(res.body, /Tea &amp; &lt;b&gt;Talk&lt;\/b&gt;/, 'names are escaped')
  t.match(res.body, /Run by Peckham &lt;Together&gt;/)
  t.match(res.body, /Every Tuesday, 6:30pm to 8pm/)
  t.match(res.body, /£2.50 per session/)
  t.match(res.body, /Free for carers/)
  t.match(res.body, /Step-free access/)
  t.match(res.body, /Carers attend free/)
  t.match(res.body, /<a href="tel:02079460958">Phone: 020 7946 0958<\/a>/)
  t.match(res.body, /<a href="https:\/\/tea.example\/join">Website: tea.example<\/a>/)
  const link = /href="(\/find\/schemes\/[^"]+)"/.exec(res.body)![1].replace(/&amp;/g, '&')
  t.match(link, new RegExp(`^/find/schemes/${scheme.id}\\?back=`))

  const page = await app.inject({ url: link, headers: HTML })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1>[\s\S]*Tea &amp; &lt;b&gt;Talk&lt;\/b&gt;[\s\S]*<\/h1>/)
  t.match(page.body, /<p>Company and a cup of tea.<\/p>\s*<p>All welcome.<\/p>/, 'paragraphs')
  t.match(page.body, /Rye Lane Hall/)
  t.match(page.body, /href="\/find\?postcode=SE15\+4&amp;period=evening"[^>]*>\s*Back to search results/, 'back to the search it came from')

  const plain = await app.inject({ url: `/find/schemes/${scheme.id}`, headers: HTML })
  t.match(plain.body, /href="\/find"[^>]*>\s*Search for groups/, 'without a search: to the form')

  // "More results" follows next_cursor, with the same search
  const other = await call(app, 'POST', '/v1/schemes', { key, body: {
    name: 'Late Choir', description: 'Singing.', categories: ['music_singing'], delivery: ['in_person'], contact: { phone: '020 7946 0001' },
    sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['thu'], starts: '19:00', ends: '21:00' }],
  } })
  t.equal(other.statusCode, 201, other.body)
  const first = await app.inject({ url: '/find?postcode=SE15+4&period=evening&limit=1', headers: HTML })
  const names = (body: string) => [...body.matchAll(/<h2 class="nhsuk-card__heading[^>]*><a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1])
  t.equal(names(first.body).length, 1)
  const more = /<a href="([^"]*)" class="nhsuk-pagination__link nhsuk-pagination__link--next"|class="nhsuk-pagination__link nhsuk-pagination__link--next" href="([^"]*)"/.exec(first.body)
  t.ok(more, 'a link to more results')
  const second = await app.inject({ url: (more![1] ?? more![2]).replace(/&amp;/g, '&'), headers: HTML })
  t.equal(second.statusCode, 200, 'the cursor is this search\'s')
  t.same([...names(first.body), ...names(second.body)].sort(), ['Late Choir', 'Tea &amp; &lt;b&gt;Talk&lt;/b&gt;'], 'each once')
  t.notMatch(second.body, /pagination__link--next/, 'and no more after the last')

  // deleted: 410, as a page
  const etag = (await app.inject(`/v1/schemes/${scheme.id}`)).headers.etag as string
  t.equal((await call(app, 'DELETE', `/v1/schemes/${scheme.id}`, { key, headers: { 'if-match': etag } })).statusCode, 204)
  const gone = await app.inject({ url: `/find/schemes/${scheme.id}`, headers: HTML })
  t.equal(gone.statusCode, 410)
  t.match(gone.headers['content-type'], /^text\/html/)
  t.match(gone.body, /This group is no longer listed/)
})

t.test('pages that do not exist are pages too', async (t) => {
  const { app } = await build(t)
  for (const url of ['/find/schemes/00000000-0000-4000-8000-000000000000', '/find/schemes/not-a-uuid', '/find/elsewhere']) {
    const res = await app.inject({ url, headers: HTML })
    t.equal(res.statusCode, 404, url)
    t.match(res.headers['content-type'], /^text\/html/, url)
    t.match(res.body, /<h1>Page not found<\/h1>/, url)
  }
})

t.test('the pages\' CSP: scripts by nonce, styles and fonts from this origin; /docs keeps its own', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/find', headers: HTML })
  const csp = String(res.headers['content-security-policy'])
  const nonce = /script-src 'self' 'nonce-([0-9a-f]+)'/.exec(csp)?.[1]
  t.ok(nonce, csp)
  t.match(csp, /style-src 'self' 'nonce-[0-9a-f]+'/)
  t.match(csp, /font-src 'self'(;|$)/)
  const scripts = [...res.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1])
  t.equal(scripts.length, 2, 'the js-enabled class and the module that starts the components')
  t.ok(scripts.every((s) => s.includes(`nonce="${nonce}"`)), 'each carries the nonce')
  t.not(/nonce-([0-9a-f]+)/.exec(String((await app.inject({ url: '/find', headers: HTML })).headers['content-security-policy']))?.[1], nonce, 'a new nonce each time')

  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(String(docs.headers['content-security-policy']), /style-src 'self' 'unsafe-inline'/, '/docs still allows swagger-ui\'s inline styles')
  t.notMatch(String(docs.headers['content-security-policy']), /nonce-/)
})

t.test('assets: the compiled CSS and JS and the images, nothing else of the package', async (t) => {
  const { app } = await build(t)
  const version = (await import('nhsuk-frontend/package.json', { with: { type: 'json' } })).default.version
  const css = await app.inject(`/assets/nhsuk-frontend-${version}.min.css`)
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /^text\/css/)
  t.ok(css.body.length > 100000)
  t.notMatch(css.body, /@font-face|assets\.nhs\.uk/, 'no third-party font')
  const js = await app.inject(`/assets/nhsuk-frontend-${version}.min.js`)
  t.equal(js.statusCode, 200)
  t.match(js.headers['content-type'], /javascript/)
  t.equal((await app.inject('/assets/images/favicon.svg')).statusCode, 200)
  t.equal((await app.inject('/assets/manifest.json')).statusCode, 200)
  for (const path of ['/assets/index.scss', '/assets/nhsuk-frontend.min.js.map', '/assets/components/button/template.njk', '/assets/../package.json',
    '/assets/%2e%2e/%2e%2e/package.json', '/assets/assets/manifest.json']) {
    t.equal((await app.inject(path)).statusCode, 404, path)
  }
})

t.test('no postcode reaches the logs, nor the search a scheme page goes back to', async (t) => {
  const { app, logs } = await build(t)
  await app.inject({ url: '/find?postcode=SE15+4&days=tue', headers: HTML })
  await app.inject({ url: '/find?postcode=BT1+1AA', headers: HTML })
  await app.inject({ url: `/find/schemes/00000000-0000-4000-8000-000000000000?back=${encodeURIComponent('postcode=SE15 4&days=tue')}`, headers: HTML })
  const text = JSON.stringify(logs)
  t.notMatch(text, /SE15|BT1/i)
  t.ok(logs.some((l) => l.req?.url === '/find?postcode=[redacted]&days=tue'), 'the other parameters are')
})

t.test('with READS_REQUIRE_KEY there are no pages: the directory is not open to read', async (t) => {
  const { app } = await build(t, { READS_REQUIRE_KEY: 'true' })
  const root = await app.inject({ url: '/', headers: HTML })
  t.equal(root.statusCode, 200)
  t.match(root.headers['content-type'], /^application\/json/)
  t.equal((await app.inject({ url: '/find?postcode=SE15+4', headers: HTML })).statusCode, 404)
})
