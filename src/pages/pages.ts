import { render } from './render.ts'
import { fieldErrors, formFields, searchQueryOf, type PostcodeTrouble, type Query } from './search-form.ts'
import { resultView, searchHref } from './views.ts'
import { schemeView } from './scheme-view.ts'
import { suggestionsView } from './suggestions.ts'
import { distanceText } from './format.ts'
import type { ProblemItem } from '../errors.ts'

/** Each page as HTML: the routes choose one and send it. `nonce` is the response's CSP script nonce. */

export function searchFormPage(nonce: string, q: Query = {}, problems: ProblemItem[] = [], postcode?: PostcodeTrouble): string {
  const errors = fieldErrors(problems, postcode)
  const byField = Object.fromEntries(errors.map((e) => [e.field, e.text]))
  return render('search.njk', {
    cspNonce: nonce, title: 'Find local groups and support', errorTitle: errors.length > 0,
    errors: errors.map((e) => ({ text: e.text, href: e.href })), fieldErrors: byField, form: formFields(q),
  })
}

export function resultsPage(nonce: string, q: Query, page: Record<string, any>): string {
  const items: any[] = page.items ?? []
  const place = q.postcode ? q.postcode.toUpperCase() : 'the place you gave'
  const n = items.length
  const more = page.next_cursor ? ' (more on the next page)' : ''
  return render('results.njk', {
    cspNonce: nonce,
    title: n ? `Groups and support near ${place}` : `No groups found near ${place}`,
    place,
    radiusText: distanceText(Number(q.radius_m ?? 5000)),
    countText: `${n} ${n === 1 ? 'result' : 'results'}, nearest first${more}`,
    results: items.map((i) => resultView(i, q)),
    nextHref: page.next_cursor ? searchHref({ ...q, cursor: page.next_cursor }) : null,
    suggestions: n ? null : suggestionsView(page, q),
    form: formFields(q),
  })
}

/** `back`: the search (a query string) the person came from, carried so that the page can link back to it. */
export function schemePage(nonce: string, found: { doc: any; venues: Map<string, any>; current: any[]; next: string[] }, back?: string): string {
  const q = back ? searchQueryOf(Object.fromEntries(new URLSearchParams(back))) : {}
  const s = schemeView(found.doc, found.venues, found.next, found.current)
  return render('scheme.njk', { cspNonce: nonce, title: s.name, s, back: Object.keys(q).length > 0, backHref: Object.keys(q).length ? searchHref(q) : '/find' })
}

const ERRORS: Record<number, { title: string; paragraphs: string[] }> = {
  404: { title: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the entire address.'] },
  410: { title: 'This group is no longer listed', paragraphs: ['The group has been taken out of the directory. It may have stopped running.'] },
  429: { title: 'Too many searches', paragraphs: ['There have been too many searches from your connection in the last minute. Wait a minute, then try again.'] },
  503: { title: 'Sorry, the service is unavailable', paragraphs: ['The service is busy or not working just now. Try again in a few minutes.'] },
  500: { title: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] },
}

export function errorPage(nonce: string, status: number): string {
  const e = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : { title: 'Sorry, we could not show that page', paragraphs: ['Check the web address, or start a new search.'] })
  return render('error.njk', { cspNonce: nonce, title: e.title, paragraphs: e.paragraphs })
}
