import ical, { type ICalCalendar, type ICalEventData, type ICalLocation } from 'ical-generator'
import type { HolidayRegion } from '../../domain/bank-holidays.ts'
import type { Break } from '../../domain/schedule-summary.ts'
import { UK_TIME_ZONE, type SessionRule } from '../../domain/schedule.ts'
import { recurrence, type Window } from './recurrence.ts'
import { UK_TIMEZONE } from './timezone.ts'

/** What a calendar reads of a scheme: its document as GET shows it (with the sessions' summaries). */
export interface CalendarScheme {
  id: string
  name: string
  description: string
  version: number
  created_at: string
  updated_at: string
  by_arrangement?: boolean
  always_open?: boolean
  breaks?: Break[] | null
  contact: { phone?: string; email?: string; website?: string; text?: string }
  organisation: { name: string }
  sessions: Array<SessionRule & { summary: string; notes?: string }>
  venues: Array<{ id: string; name: string; address: { line1: string; line2?: string; town?: string; postcode: string };
    location: { lat: number; lon: number } }>
}

/** A scheme whose sessions a feed lists, with its venues' bank-holiday calendars (venues.holiday_region). */
export interface ListedScheme {
  doc: CalendarScheme
  regions: Record<string, HolidayRegion>
}

export interface CalendarFeed {
  /** the calendar's name (X-WR-CALNAME) */
  title: string
  /** the schemes whose sessions become events; empty for a scheme that is paused or ended */
  schemes: ListedScheme[]
}

/** How often a subscriber should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const REFRESH_SECONDS = 12 * 3600

/** A session's UID: its scheme's id and its place in the scheme's list, so it stays the same event when the scheme is edited. */
export const sessionUid = (schemeId: string, index: number) => `${schemeId}-session-${index + 1}@signpost`

function contactLines(c: CalendarScheme['contact']): string[] {
  const lines: string[] = []
  if (c.phone) lines.push(`Phone: ${c.phone}`)
  if (c.text) lines.push(`Text: ${c.text}`)
  if (c.email) lines.push(`Email: ${c.email}`)
  if (c.website) lines.push(`Website: ${c.website}`)
  return lines
}

/** DESCRIPTION: the session in words and its notes, the scheme's description, who runs it and how to get in touch. */
function description(doc: CalendarScheme, s: CalendarScheme['sessions'][number]): string {
  return [
    [s.summary, s.notes].filter(Boolean).join('\n'),
    doc.description,
    [`Run by ${doc.organisation.name}.`, ...contactLines(doc.contact)].join('\n'),
  ].join('\n\n')
}

function location(doc: CalendarScheme, venueId: string | null | undefined): ICalLocation | null {
  const v = venueId ? doc.venues.find((x) => x.id === venueId) : undefined
  if (!v) return null
  const a = v.address
  return { title: v.name, address: [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', '), geo: { lat: v.location.lat, lon: v.location.lon } }
}

/** The events of one scheme: one per session that runs in the window (none when it is by arrangement or always open). */
function schemeEvents({ doc, regions }: ListedScheme, window: Window): ICalEventData[] {
  if (doc.by_arrangement || doc.always_open) return []
  const ex = { breaks: doc.breaks, regions }
  return doc.sessions.flatMap((s, i): ICalEventData[] => {
    const r = recurrence(s, window, ex)
    if (!r) return []
    const event = {
      id: sessionUid(doc.id, i),
      sequence: doc.version,
      // DTSTAMP from the scheme, not the request: the same scheme gives the same text, and ETag
      stamp: new Date(doc.updated_at),
      created: new Date(doc.created_at),
      lastModified: new Date(doc.updated_at),
      timezone: UK_TIME_ZONE,
      start: r.start,
      end: r.end,
      summary: doc.name,
      description: description(doc, s),
      location: location(doc, s.venue_id),
      url: doc.contact.website ?? null,
    } satisfies ICalEventData
    if (!r.repeating) return [event]
    return [{ ...event, repeating: r.repeating }, ...r.overrides.map((o) => ({ ...event, timezone: null, recurrenceId: o.start, start: o.start, end: o.end }))]
  })
}

/** The feed as an iCalendar object (RFC 5545), its events in the order of the schemes and their sessions. */
export function buildCalendar(feed: CalendarFeed, window: Window): ICalCalendar {
  const calendar = ical({
    name: feed.title,
    prodId: { company: 'Signpost', product: 'Signpost API', language: 'EN' },
    timezone: UK_TIMEZONE,
    ttl: REFRESH_SECONDS,
  })
  for (const scheme of feed.schemes) for (const event of schemeEvents(scheme, window)) calendar.createEvent(event)
  return calendar
}
