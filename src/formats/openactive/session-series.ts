import { VOCABULARIES } from '../../domain/vocabularies.ts'
import { REMOTE_REGION, regionOfNation } from '../../domain/bank-holidays.ts'
import { occursOn, ukDate, UK_TIME_ZONE } from '../../domain/schedule.ts'
import type { OrganisationDocument, SchemeDocument, SessionDocument, VenueDocument } from '../../schemas/documents.ts'
import { ACCESSIBILITY_SUPPORT_LIST, ACTIVITY_LIST, accessibilitySupportOf, activitiesOf, type OaConcept } from './concepts.ts'
import { toOaSchedule, type OaSchedule } from './schedules.ts'

/**
 * A scheme as an OpenActive SessionSeries (Modelling Opportunity Data 2.0), from the document
 * GET /v1/schemes/{id} returns. Pure: the caller gives the base URL and the nation of a postcode.
 * docs/openactive.md lists what is published and what is not, and why.
 */

export const OA_CONTEXT = 'https://openactive.io/'
const ATTENDANCE = {
  offline: 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  mixed: 'https://schema.org/MixedEventAttendanceMode',
} as const

export interface SeriesContext {
  /** The public base URL (scheme, no trailing slash): ids and urls are made from it. */
  base: string
  /** postcode → 'England' | 'Scotland' | 'Wales' | 'Northern Ireland' (src/geo/nations.ts). */
  nationOf(postcode: string): string | undefined
}

/** The scheme as GET /v1/schemes/{id} shows it (src/repositories/schemes.ts getScheme). */
export type Scheme = SchemeDocument & {
  organisation: { id: string; name: string }; sessions: SessionDocument[]; venues: VenueDocument[]; schedule_summary: string
}

/** What the mapping reads: the scheme, and its organisation when the caller has it. */
export interface SeriesSource { scheme: Scheme; organisation?: OrganisationDocument }

export type OaPartialSchedule = { '@type': 'PartialSchedule'; scheduleTimezone: typeof UK_TIME_ZONE }
export type SessionSeries = Record<string, unknown> & { '@context'?: string; '@type': 'SessionSeries'; '@id': string }

export const seriesId = (base: string, schemeId: string) => `${base}/v1/schemes/${schemeId}`

/**
 * Why a scheme is not an OpenActive opportunity, or null when it is. Only an active, undeleted
 * scheme is published (the feed's caller checks deletion); it needs an activity-list concept
 * (the validator requires `activity`) and a place: a venue, or online delivery (an online
 * event has no location). Telephone, home visits and text chat are not events one attends.
 */
export function notAnOpportunity(scheme: Pick<Scheme, 'status' | 'categories' | 'venues' | 'delivery'>): string | null {
  if (scheme.status !== 'active') return `it is ${scheme.status}`
  if (activitiesOf(scheme.categories).length === 0) return 'none of its categories is an activity on the OpenActive activity list'
  if (scheme.venues.length === 0 && !scheme.delivery.includes('online')) return 'it meets at no venue and is not online'
  return null
}

const labels = (codes: readonly string[]) => codes.map((c) => VOCABULARIES.accessibility[c as keyof typeof VOCABULARIES.accessibility] ?? c)

function place(v: VenueDocument, ctx: SeriesContext): Record<string, unknown> {
  const street = [v.address.line1, v.address.line2].filter(Boolean).join(', ')
  const region = ctx.nationOf(v.address.postcode)
  return {
    '@type': 'Place', '@id': `${ctx.base}/v1/venues/${v.id}`, identifier: v.id, name: v.name, url: `${ctx.base}/v1/venues/${v.id}`,
    description: v.accessibility.length ? `${labels(v.accessibility).join('. ')}.` : 'The venue lists no access features.',
    address: {
      '@type': 'PostalAddress', streetAddress: street, addressLocality: v.address.town,
      ...(region ? { addressRegion: region } : {}), postalCode: v.address.postcode, addressCountry: 'GB',
    },
    geo: { '@type': 'GeoCoordinates', latitude: v.location.lat, longitude: v.location.lon },
  }
}

function concepts(list: readonly OaConcept[], inScheme: string) {
  return list.map((c) => ({ '@type': 'Concept', '@id': c.id, prefLabel: c.prefLabel, inScheme }))
}

/** The scheme's cost as Offers in GBP: free is a price of 0; a cost without an amount is an Offer without a price. */
function offers(scheme: Scheme, id: string): Array<Record<string, unknown>> {
  const c = scheme.cost
  const about = [c.per ? VOCABULARIES.cost_per[c.per as keyof typeof VOCABULARIES.cost_per] : undefined, c.description, c.concessions]
    .filter(Boolean).join('. ')
  const offer: Record<string, unknown> = { '@type': 'Offer', '@id': `${id}#/offers/0`, name: c.free ? 'Free' : 'Standard price' }
  if (c.free) Object.assign(offer, { price: 0, priceCurrency: 'GBP' })
  else if (c.amount_pence != null) Object.assign(offer, { price: c.amount_pence / 100, priceCurrency: 'GBP' })
  if (about) offer.description = about
  return [offer]
}

function organizer(scheme: Scheme, org: OrganisationDocument | undefined, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { '@type': 'Organization', '@id': `${base}/v1/organisations/${scheme.organisation.id}`, name: scheme.organisation.name }
  if (org?.website) out.url = org.website
  if (org?.email) out.email = org.email
  if (org?.phone) out.telephone = org.phone
  if (org?.description) out.description = org.description
  return out
}

/**
 * The SessionSeries of a scheme that is an opportunity (notAnOpportunity is null), else null.
 * Its location is the venue of its first in-person session; its eventSchedule holds a Schedule
 * per session there and per remote session (for online delivery), each session that can still
 * run; a scheme with no such session (times by arrangement) has a PartialSchedule and its
 * schedule summary as the schedulingNote.
 */
export function toSessionSeries({ scheme, organisation }: SeriesSource, ctx: SeriesContext): SessionSeries | null {
  if (notAnOpportunity(scheme)) return null
  const id = seriesId(ctx.base, scheme.id)
  const venue: VenueDocument | undefined = scheme.venues[0]
  const online = scheme.delivery.includes('online')
  const mode = venue ? (online ? ATTENDANCE.mixed : ATTENDANCE.offline) : ATTENDANCE.online
  const region = venue ? regionOfNation(ctx.nationOf(venue.address.postcode)) : REMOTE_REGION
  const since = ukDate(new Date(scheme.updated_at))
  const breaks = scheme.breaks ?? null
  const schedules: OaSchedule[] = scheme.sessions
    .filter((s) => (s.venue_id ? s.venue_id === venue?.id : online))
    .filter((s) => s.frequency !== 'once' || occursOn(s, s.date!, { breaks, regions: s.venue_id ? { [s.venue_id]: region } : undefined }))
    .map((s) => toOaSchedule(s, { breaks, region: s.venue_id ? region : REMOTE_REGION, since }))
  const eventSchedule: Array<OaSchedule | OaPartialSchedule> = schedules.length ? schedules
    : [{ '@type': 'PartialSchedule', scheduleTimezone: UK_TIME_ZONE }]
  const access = [...new Set([...(venue?.accessibility ?? []), ...scheme.accessibility])]
  const support = accessibilitySupportOf(access)
  const out: SessionSeries = {
    '@context': OA_CONTEXT, '@type': 'SessionSeries', '@id': id, identifier: scheme.id,
    url: `${ctx.base}/find/schemes/${scheme.id}`,
    name: scheme.name, description: scheme.description,
    activity: concepts(activitiesOf(scheme.categories), ACTIVITY_LIST),
    category: scheme.categories.map((c) => VOCABULARIES.categories[c as keyof typeof VOCABULARIES.categories] ?? c),
    eventAttendanceMode: mode,
    eventStatus: 'https://schema.org/EventScheduled',
    ...(venue ? { location: place(venue, ctx) } : {}),
    organizer: organizer(scheme, organisation, ctx.base),
    offers: offers(scheme, id),
    isAccessibleForFree: scheme.cost.free,
    eventSchedule,
  }
  if (!schedules.length || scheme.sessions.some((s) => s.venue_id && s.venue_id !== venue?.id)) out.schedulingNote = scheme.schedule_summary
  // Without ageRange OpenActive's consumers assume 18+; a scheme with no min_age takes all ages: minValue 0.
  out.ageRange = { '@type': 'QuantitativeValue', minValue: scheme.min_age ?? 0, ...(scheme.max_age != null ? { maxValue: scheme.max_age } : {}) }
  if (support.length) out.accessibilitySupport = concepts(support, ACCESSIBILITY_SUPPORT_LIST)
  if (access.length) out.accessibilityInformation = `${labels(access).join('. ')}.`
  return out
}
