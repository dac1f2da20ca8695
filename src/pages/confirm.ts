import { render } from './render.ts'
import { schemeView } from './scheme-view.ts'
import type { TokenState } from '../repositories/confirmations.ts'

/** The confirmation link's pages (src/routes/confirm.ts): the question, and each outcome in words. */

export function confirmPage(nonce: string, found: { doc: any; venues: Map<string, any>; current: any[]; next: string[] }, action: string,
  changes = false): string {
  const s = schemeView(found.doc, found.venues, found.next, found.current)
  return render('confirm.njk', { cspNonce: nonce, title: `Confirm: ${s.name}`, s, action, changes, schemeId: found.doc.id })
}

const OUTCOMES: Record<string, { title: string; paragraphs: string[] }> = {
  confirmed: { title: 'Thank you: the listing is confirmed', paragraphs: ['It stays in search as it is. We will ask again in a few months.'] },
  ended: { title: 'Thank you: the listing is marked as ended', paragraphs: ['It has been taken out of search. Its history is kept.'] },
  unknown: { title: 'This link is not valid', paragraphs: ['Check that you copied the whole link from the e-mail. Nothing has been changed.'] },
  used: { title: 'This link has already been used', paragraphs: ['Each link works once. Nothing more has been changed.'] },
  expired: { title: 'This link has expired', paragraphs: ['Links work for 30 days. A new one comes with the next reminder; nothing has been changed.'] },
  changed: { title: 'This listing has changed since the e-mail was sent',
    paragraphs: ['Someone has updated or confirmed it since, so this link no longer applies. Nothing has been changed.'] },
  gone: { title: 'This listing is no longer in the directory', paragraphs: ['It has been deleted or marked as ended. Nothing has been changed.'] },
}

export function outcomePage(nonce: string, outcome: keyof typeof OUTCOMES | TokenState['state']): string {
  const o = OUTCOMES[outcome] ?? OUTCOMES.unknown
  return render('error.njk', { cspNonce: nonce, title: o.title, paragraphs: o.paragraphs })
}
