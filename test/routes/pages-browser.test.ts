/**
 * The search pages in a real browser (Debian's chromium, driven by playwright-core) against
 * the real app on a port of its own and the demo directory: what a person sees, with and
 * without JavaScript, and axe-core's WCAG 2.2 AA rules on every page.
 *
 * Without /usr/bin/chromium this file fails (CI installs it: .ci/run); SIGNPOST_SKIP_BROWSER=1
 * makes it skip instead, saying so.
 */
import t, { type Test } from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROMIUM, launchChromium } from '../fixtures/browser.ts'
import { build } from '../helper.ts'
import { freePort } from '../fixtures/ports.ts'
import { seedDemo } from '../../src/seed/demo.ts'

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The link worker's question (SPEC §1), as the demo directory answers it. */
const LINK_WORKER = 'postcode=SE15%204&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness'
/** Nothing in the demo directory has all three near Peckham in the evening. */
const NOTHING = 'postcode=SE15%204&period=evening&accessibility=changing_places,hearing_loop,bsl'

// Expectations written independently of src/pages/format.ts.
const km = (m: number) => (m < 100 ? 'less than 0.1 km' : m < 10000 ? `${(m / 1000).toFixed(1).replace(/\.0$/, '')} km` : `${Math.round(m / 1000)} km`)
function ukText(iso: string): string {
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...o }).format(new Date(iso))
  const [h, m] = f({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).split(':').map(Number)
  const time = m === 0 && h === 12 ? 'midday' : `${h % 12 || 12}${m ? ':' + String(m).padStart(2, '0') : ''}${h < 12 ? 'am' : 'pm'}`
  return `${f({ weekday: 'long' })} ${f({ day: 'numeric' })} ${f({ month: 'long' })} at ${time}`
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE) // through the debugging protocol: the page's CSP does not apply
  const result: any = await page.evaluate((tags) => (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG)
  return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n: any) => n.target.join(' ')).join('; ')}`)
}

/**
 * Each page is checked the same way: no WCAG 2.2 AA violation, and no CSP refusal, failed
 * request (a third-party font, say) or script error. axe-core needs scripts: a page seen
 * without JavaScript is checked for the rest (its markup is the same page's, checked with).
 */
async function checkPage(t: Test, page: Page, problems: string[], what: string, axe = true) {
  if (axe) t.same(await axeViolations(page), [], `${what}: no WCAG 2.2 AA violations (axe-core)`)
  t.same(problems.splice(0), [], `${what}: no CSP refusal, failed request or script error`)
}

const skip = process.env.SIGNPOST_SKIP_BROWSER === '1'
if (skip) {
  t.comment('SIGNPOST_SKIP_BROWSER=1: the browser tests of the search pages are skipped')
  t.pass('skipped on request (SIGNPOST_SKIP_BROWSER=1)', { skip: 'SIGNPOST_SKIP_BROWSER=1' })
} else if (!existsSync(CHROMIUM)) {
  t.fail(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), or set SIGNPOST_SKIP_BROWSER=1 to skip`)
} else {
  t.test('the search pages in chromium', async (t) => {
    const { app, db } = await build(t)
    await seedDemo(db)
    const port = await freePort()
    await app.listen({ port, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${port}`
    const browser: Browser = await launchChromium()
    t.teardown(() => browser.close())
    const api = async (query: string) => (await app.inject(`/v1/schemes?${query}`)).json()

    const open = async (context: BrowserContext) => {
      const page = await context.newPage()
      const problems: string[] = []
      // (a page answered 400, 404 or 422 is logged as a failed load too: the listeners below judge sub-resources)
      page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()) })
      page.on('pageerror', (e) => problems.push(e.message))
      // the browser fetches the favicon on its own and abandons it when the page navigates on
      // (a form submitted before it arrived): not a failure of the page; any other failed request is
      page.on('requestfailed', (r) => {
        if (r.failure()?.errorText === 'net::ERR_ABORTED' && new URL(r.url()).pathname.endsWith('/favicon.svg')) return
        problems.push(`${r.url()}: ${r.failure()?.errorText}`)
      })
      page.on('response', (r) => { if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.url()}: ${r.status()}`) })
      return { page, problems }
    }

    t.test('with JavaScript', async (t) => {
      const context = await browser.newContext({ locale: 'en-GB' })
      t.teardown(() => context.close())
      const { page, problems } = await open(context)

      const home = await page.goto(`${base}/`)
      t.equal(home?.status(), 200)
      t.match(home?.headers()['content-type'], /^text\/html/)
      t.equal(await page.locator('h1').innerText(), 'Find local groups and support')
      t.equal(await page.evaluate(() => document.body.classList.contains('nhsuk-frontend-supported')), true, 'the NHS.UK frontend scripts ran')
      await checkPage(t, page, problems, 'the search form')

      // the link worker fills the form in
      await page.getByLabel('Postcode').fill('SE15 4')
      for (const box of ['Tuesday', 'Thursday', 'Evening (17:00–23:00)', 'Step-free access', 'Free only']) await page.getByLabel(box, { exact: true }).check()
      await page.getByLabel('What would you like help with?').selectOption('loneliness')
      await Promise.all([page.waitForURL(/\/find\?/), page.getByRole('button', { name: 'Search' }).click()])
      t.equal(await page.locator('h1').innerText(), 'Groups and support near SE15 4')

      // the same answer as the API's, item by item
      const expected = await api(LINK_WORKER)
      t.ok(expected.items.length >= 5, `${expected.items.length} schemes in the demo directory`)
      const cards = page.locator('.signpost-result')
      t.same(await cards.locator('h2').allInnerTexts(), expected.items.map((i: any) => i.name), 'the same schemes, nearest first')
      for (const [i, item] of expected.items.entries()) {
        const card = cards.nth(i)
        t.equal(await card.locator('.signpost-distance').innerText(), `${km(item.distance_m)} away`, `${item.name}: distance`)
        const times = card.locator('time')
        t.same(await times.evaluateAll((els) => els.map((e) => e.getAttribute('datetime'))), item.next_occurrences, `${item.name}: the next dates`)
        t.same(await times.allInnerTexts(), item.next_occurrences.map(ukText), `${item.name}: in UK time`)
        t.ok((await card.innerText()).includes('Step-free access'), `${item.name}: access`)
        t.ok((await card.innerText()).includes('Free'), `${item.name}: cost`)
      }
      const shed = cards.filter({ hasText: "Nunhead Men's Shed" })
      t.ok((await shed.innerText()).includes('Every Thursday, 6pm to 9pm'), 'a schedule line')
      t.ok((await shed.innerText()).includes('Thursday') && /at 6pm/.test(await shed.locator('time').first().innerText()), 'next dates at 6pm UK time')
      t.ok((await shed.innerText()).includes('You can contact them yourself'), 'how to join')
      t.ok(await shed.getByRole('link', { name: /^Phone: / }).count(), 'a phone link')
      await checkPage(t, page, problems, 'the results')

      // a scheme's own page, and back
      const resultsUrl = page.url()
      await Promise.all([page.waitForURL(/\/find\/schemes\//), shed.getByRole('link', { name: "Nunhead Men's Shed" }).click()])
      t.match(await page.locator('h1').innerText(), /Nunhead Men's Shed/)
      const body = await page.locator('main').innerText()
      t.match(body, /Every Thursday, 6pm to 9pm/)
      t.match(body, /Consort Road Workshop/)
      t.match(body, /Next dates/)
      await checkPage(t, page, problems, 'the scheme page')
      await Promise.all([page.waitForURL(/\/find\?/), page.getByRole('link', { name: 'Back to search results' }).click()])
      t.equal(page.url(), new URL(resultsUrl).origin + new URL(page.url()).pathname + new URL(page.url()).search, 'back to a search')
      t.same(await page.locator('.signpost-result h2').allInnerTexts(), expected.items.map((i: any) => i.name), 'the same results again')

      // nothing found: what to try instead
      await page.goto(`${base}/find?${NOTHING}`)
      t.equal(await page.locator('h2#no-results').innerText(), 'No groups found')
      const none = await api(NOTHING)
      t.same(none.items, [], 'the API finds nothing either')
      const tries = page.locator('#suggestions-try a')
      if (none.suggestions) {
        t.same(await page.locator('#suggestions-nearest a').allInnerTexts(), none.suggestions.nearest.map((n: any) => n.name), 'the nearest, as links')
        t.equal((await tries.allInnerTexts()).length, 1 + none.suggestions.without.length)
      } else {
        t.same(await tries.allInnerTexts(), ['Search up to 10 km away', 'Without ‘Evening (17:00–23:00)’', 'Without ‘Changing Places toilet’',
          'Without ‘Hearing loop’', 'Without ‘British Sign Language’'], 'a wider search, and each choice to drop')
      }
      await checkPage(t, page, problems, 'the zero-result page')
      if (none.suggestions?.without?.length) {
        // the first filter to drop, as the API counts it: the search again without it
        const [parameter, value] = none.suggestions.without[0].without.split('=')
        await Promise.all([page.waitForURL(/\/find\?/), tries.nth(1).click()])
        const after = new URL(page.url()).searchParams
        const asked = new URLSearchParams(NOTHING)
        const left = parameter === 'accessibility' ? asked.get('accessibility')!.split(',').filter((c) => c !== value).join(',') || null : null
        t.equal(after.get(parameter), left, `the search again without ${parameter}=${value}`)
        t.equal(after.get('postcode'), 'SE15 4', 'the same place')
      } else if (!none.suggestions) {
        await Promise.all([page.waitForURL(/\/find\?/), tries.filter({ hasText: 'Hearing loop' }).click()])
        const after = new URL(page.url()).searchParams
        t.same([after.get('accessibility'), after.get('period'), after.get('postcode')], ['changing_places,bsl', 'evening', 'SE15 4'], 'the search again without it')
      }

      // a postcode the directory cannot use: the form again, with an error summary
      await page.goto(`${base}/`)
      await page.getByLabel('Postcode').fill('BT1 1AA')
      const [refused] = await Promise.all([page.waitForResponse(/\/find\?/), page.getByRole('button', { name: 'Search' }).click()])
      t.equal(refused.status(), 422)
      await page.waitForLoadState()
      t.match(await page.title(), /^Error: /)
      const summary = page.locator('.nhsuk-error-summary')
      t.match(await summary.innerText(), /There is a problem[\s\S]*Northern Ireland/)
      t.equal(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary')), true, 'the summary takes the focus')
      await summary.getByRole('link').click()
      t.equal(await page.evaluate(() => document.activeElement?.id), 'postcode', 'its link goes to the postcode field')
      t.equal(await page.getByLabel('Postcode').inputValue(), 'BT1 1AA', 'what was typed is kept')
      await checkPage(t, page, problems, 'the form with an error')

      const missing = await page.goto(`${base}/find/schemes/${randomUUID()}`)
      t.equal(missing?.status(), 404)
      t.equal(await page.locator('h1').innerText(), 'Page not found')
      await checkPage(t, page, problems, 'the page-not-found page')
    })

    t.test('without JavaScript', async (t) => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' })
      t.teardown(() => context.close())
      const { page, problems } = await open(context)
      await page.goto(`${base}/find`)
      t.equal(await page.evaluate(() => document.body.className), '', 'no script ran')
      await page.getByLabel('Postcode').fill('se154')
      for (const box of ['Tuesday', 'Thursday', 'Evening (17:00–23:00)', 'Step-free access', 'Free only']) await page.getByLabel(box, { exact: true }).check()
      await page.getByLabel('What would you like help with?').selectOption('loneliness')
      await Promise.all([page.waitForURL(/\/find\?/), page.getByRole('button', { name: 'Search' }).click()])
      const expected = await api(LINK_WORKER)
      t.same(await page.locator('.signpost-result h2').allInnerTexts(), expected.items.map((i: any) => i.name), 'the form works: the same results')
      t.ok(await page.getByLabel('Tuesday', { exact: true }).isChecked(), 'and keeps the choices made')

      await page.getByLabel('Postcode').fill('')
      await Promise.all([page.waitForURL(/\/find\?/), page.getByRole('button', { name: 'Search' }).click()])
      t.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter a postcode/)
      t.equal(await page.locator('.nhsuk-error-summary a').getAttribute('href'), '#postcode')
      await checkPage(t, page, problems, 'the form with an error, without JavaScript', false)
    })
  })
}
