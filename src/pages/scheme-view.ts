import { costText, dayText, label, languageText, sessionText, type SessionLike } from './format.ts'
import { accessLines, addressText, capacityText, contactLines, deliveryText, nextDates, referralLines, whenLines } from './views.ts'

type Doc = Record<string, any>
const list = (x: unknown): any[] => (Array.isArray(x) ? x : [])
const text = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x : undefined)

/** The scheme page: the whole document, with its venues by id and its next dates. */
export function schemeView(doc: Doc, venues: Map<string, Doc>, next: string[], currentSessions: Doc[]) {
  const sessionLines = currentSessions.map((s) => {
    const venue = s.venue_id ? venues.get(s.venue_id) : undefined
    return { text: sessionText(s as SessionLike), where: venue ? `${venue.name}, ${addressText(venue)}` : s.venue_id ? undefined : remoteWhere(doc), notes: text(s.notes) }
  })
  return {
    name: doc.name as string,
    organisation: doc.organisation?.name !== doc.name ? doc.organisation?.name as string | undefined : undefined,
    description: String(doc.description ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
    status: doc.status as string,
    summary: text(doc.schedule_summary),
    sessions: sessionLines,
    extraWhen: whenLines(doc, []),
    next: nextDates(next),
    venues: [...venues.values()].map((v) => ({ name: v.name as string, address: addressText(v), access: accessLines(v.accessibility) })),
    access: accessLines(doc.accessibility),
    delivery: deliveryText(doc.delivery),
    cost: costText(doc.cost),
    concessions: text(doc.cost?.concessions),
    costDescription: text(doc.cost?.description),
    places: capacityText(doc.capacity),
    referral: referralLines(doc),
    contact: contactLines(doc.contact),
    needs: list(doc.needs).map((c: string) => label('needs', c)),
    categories: list(doc.categories).map((c: string) => label('categories', c)),
    audience: list(doc.audience).map((c: string) => label('audience', c)),
    ages: agesText(doc.min_age, doc.max_age),
    groupSize: doc.group_size ? label('group_size', doc.group_size) : undefined,
    languages: list(doc.languages).map(languageText),
    verified: text(doc.last_verified_at) ? dayText(doc.last_verified_at) : undefined,
    stale: doc.stale === true,
  }
}

function remoteWhere(doc: Doc): string | undefined {
  const modes = list(doc.delivery).filter((d: string) => d !== 'in_person')
  return modes.length ? deliveryText(modes) : undefined
}

function agesText(min: unknown, max: unknown): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return `Ages ${min} to ${max}`
  if (typeof min === 'number') return `Ages ${min} and over`
  if (typeof max === 'number') return `Ages up to ${max}`
  return undefined
}
