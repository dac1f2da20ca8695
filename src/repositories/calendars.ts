import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { schemeDocumentJson } from '../db/documents.ts'
import { schemePublished, sessionHolidayRegion } from '../db/rules.ts'
import { withSummaries } from '../domain/schedule-summary.ts'
import type { HolidayRegion } from '../domain/bank-holidays.ts'
import { GoneError, NotFoundError } from '../errors.ts'
import type { CalendarFeed, CalendarScheme, ListedScheme } from '../formats/ical/calendar.ts'
import { getOrganisation } from './organisations.ts'

/**
 * What the calendar feeds read: schemes as GET shows them (with the sessions' summaries),
 * each with the bank-holiday calendars of its venues (sessionHolidayRegion, the search's
 * rule) and whether it is published (schemePublished): only a published scheme's
 * sessions are events.
 */
interface Row {
  doc: CalendarScheme
  regions: Record<string, HolidayRegion>
  published: boolean
  deleted: boolean
}

const columns = sql`${schemeDocumentJson('s', 'o')} AS doc,
  (SELECT coalesce(jsonb_object_agg(ss.venue_id, ${sessionHolidayRegion('ss')}), '{}'::jsonb)
    FROM sessions ss WHERE ss.scheme_id = s.id AND ss.venue_id IS NOT NULL) AS regions,
  ${schemePublished('s')} AS published, s.deleted_at IS NOT NULL AS deleted`

const listed = (r: Row): ListedScheme => ({ doc: withSummaries(r.doc), regions: r.regions })

/** GET /v1/schemes/{id}.ics: the scheme's sessions; no events while it is paused or ended. 404 unknown, 410 deleted, as GET. */
export async function schemeCalendar(db: Db, id: string): Promise<CalendarFeed> {
  const [row] = await db.query<Row>(sql`SELECT ${columns} FROM schemes s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ${id}`)
  if (!row) throw new NotFoundError(`No scheme ${id}.`)
  if (row.deleted) throw new GoneError(`Scheme ${id} has been deleted. Its history stays at /v1/schemes/${id}/history.`)
  return { title: row.doc.name, schemes: row.published ? [listed(row)] : [] }
}

/** GET /v1/organisations/{id}/schemes.ics: the sessions of every published scheme of the organisation, by name (lower-case, byte-wise) then id. 404 unknown. */
export async function organisationCalendar(db: Db, id: string): Promise<CalendarFeed> {
  const organisation = await getOrganisation(db, id)
  if (!organisation) throw new NotFoundError(`No organisation ${id}.`)
  const rows = await db.query<Row>(sql`SELECT ${columns} FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.organisation_id = ${id} AND ${schemePublished('s')} ORDER BY lower(s.name) COLLATE "C", s.id`)
  return { title: organisation.name, schemes: rows.map(listed) }
}
