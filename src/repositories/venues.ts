import { lonLatGeography } from '../db/spatial.ts'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { venueJson } from '../db/documents.ts'
import { ConflictError, GoneError, NotFoundError, UnprocessableError, ValidationError, type ProblemItem } from '../errors.ts'
import { mergeProblems, nulProblems, shapeProblems, venueRuleProblems } from '../domain/scheme-rules.ts'
import { normalisePostcode, resolvePostcode } from '../geo/postcodes.ts'
import { READ_ONLY_FIELDS } from '../schemas/organisation.ts'
import { VenueWriteSchema, type Venue } from '../schemas/venue.ts'
import { assertCanWrite, type Actor } from '../domain/access.ts'
import { patchedDocument } from '../domain/merge-patch.ts'
import type { ShapeVerdict } from '../domain/validate.ts'
import { assertVersion, type ExpectedVersion } from '../domain/version.ts'
import { organisationExists } from './organisations.ts'
import { sessionCurrent, transactionUkToday } from '../db/rules.ts'
import { loadHolidayRegions } from '../geo/nations.ts'
import type { HolidayRegion } from '../domain/bank-holidays.ts'

type Doc = Record<string, any>
const WRITABLE = Object.keys(VenueWriteSchema.properties).filter((k) => k !== 'organisation_id')

/**
 * Which organisation a new record belongs to: a publisher's own (organisation_id in the
 * body is then read-only: absent, or naming that same organisation), or the one an admin (or
 * an in-process writer, actor null) names: required, and it must exist.
 */
export async function owningOrganisation(tx: Db, actor: Actor | null, body: unknown, problems: ProblemItem[]): Promise<string | null> {
  const named = typeof body === 'object' && body !== null ? (body as Doc).organisation_id : undefined
  if (actor?.role === 'publisher') {
    const own = typeof named === 'string' && named.toLowerCase() === actor.organisationId
    if (named !== undefined && !own) problems.push({ pointer: '/organisation_id',
      message: 'is read-only for a publisher key: records go to the key\'s own organisation' })
    return actor.organisationId
  }
  if (named === undefined) {
    problems.push({ pointer: '/organisation_id', message: 'is required with an admin key: name the organisation the record belongs to' })
    return null
  }
  if (typeof named === 'string' && /^[0-9a-f-]{36}$/i.test(named) && !(await organisationExists(tx, named))) {
    problems.push({ pointer: '/organisation_id', message: 'is not the id of an organisation' })
  }
  return typeof named === 'string' ? named : null
}

interface Placed { lat: number; lon: number; postcode: string; region: HolidayRegion }

/**
 * The venue's point: the one given, or its postcode's centroid (full → sector → district).
 * A well-formed postcode that cannot be placed (Northern Ireland, not in the data) is a 422.
 * With it, the bank-holiday calendar of the postcode's nation.
 */
async function place(doc: Doc): Promise<Placed> {
  const postcode: string = doc.address.postcode
  const regionOf = await loadHolidayRegions()
  if (doc.location) return { ...doc.location, postcode: normalisePostcode(postcode)?.text ?? postcode, region: regionOf(postcode) }
  const r = await resolvePostcode(postcode)
  if (r.ok) return { lat: r.lat, lon: r.lon, postcode: r.normalised, region: regionOf(r.normalised) }
  if (r.reason === 'malformed') throw new ValidationError([{ pointer: '/address/postcode', message: r.message }])
  throw new UnprocessableError(`${r.message}`, [{ pointer: '/address/postcode', message: r.message }], '/problems/postcode-not-placed')
}

function venueProblems(doc: unknown, readOnly: readonly string[] = READ_ONLY_FIELDS, checked?: ShapeVerdict): ProblemItem[] {
  return mergeProblems(shapeProblems('VenueWrite', doc, readOnly, checked), venueRuleProblems(doc), nulProblems(doc))
}

const columns = (d: Doc, at: Placed) => ({
  name: d.name as string,
  line1: d.address.line1 as string,
  line2: (d.address.line2 ?? null) as string | null,
  town: d.address.town as string,
  postcode: at.postcode,
  region: at.region,
  point: lonLatGeography(at.lon, at.lat),
  accessibility: JSON.stringify(d.accessibility ?? []),
})
const textArray = (json: string) => sql`ARRAY(SELECT jsonb_array_elements_text(${json}::jsonb))::text[]`

/** POST /v1/venues; `checked`: the route's verdict on the body's shape. */
export async function createVenue(tx: Db, actor: Actor, body: unknown, checked?: ShapeVerdict): Promise<Venue> {
  const problems = venueProblems(body, READ_ONLY_FIELDS, checked)
  const organisationId = await owningOrganisation(tx, actor, body, problems)
  if (problems.length) throw new ValidationError(mergeProblems(problems))
  const c = columns(body as Doc, await place(body as Doc))
  const [row] = await tx.query<{ doc: Venue }>(sql`
    INSERT INTO venues AS v (organisation_id, name, line1, line2, town, postcode, holiday_region, location, accessibility)
    VALUES (${organisationId}, ${c.name}, ${c.line1}, ${c.line2}, ${c.town}, ${c.postcode}, ${c.region}, ${c.point}, ${textArray(c.accessibility)})
    RETURNING ${venueJson('v')} AS doc`)
  return row.doc
}

/** The venue and whether it is deleted; null when there is no such venue. */
export async function getVenue(db: Db, id: string): Promise<{ doc: Venue; deleted: boolean } | null> {
  const [row] = await db.query<{ doc: Venue; deleted: boolean }>(sql`
    SELECT ${venueJson('v')} AS doc, v.deleted_at IS NOT NULL AS deleted FROM venues v WHERE v.id = ${id}`)
  return row ?? null
}

export async function getLiveVenue(db: Db, id: string): Promise<Venue> {
  const found = await getVenue(db, id)
  if (!found) throw new NotFoundError(`No venue ${id}.`)
  if (found.deleted) throw new GoneError(`Venue ${id} has been deleted.`)
  return found.doc
}

/** Venues that are not deleted, by lower(name) byte-wise then id, optionally of one organisation. */
export async function listVenues(db: Db, limit: number, organisationId: string | undefined,
  after: [string, string] | null): Promise<Array<{ doc: Venue; sort: string }>> {
  return db.query(sql`
    SELECT ${venueJson('v')} AS doc, lower(v.name) AS sort FROM venues v
    WHERE v.deleted_at IS NULL
      ${organisationId ? sql`AND v.organisation_id = ${organisationId}` : sql``}
      ${after ? sql`AND (lower(v.name) COLLATE "C", v.id) > (${after[0]} COLLATE "C", ${after[1]}::uuid)` : sql``}
    ORDER BY lower(v.name) COLLATE "C", v.id LIMIT ${limit + 1}`)
}

/** Locks a live venue for a change: 404, 410, 403 and 412 in that order. */
async function lockVenue(tx: Db, actor: Actor, id: string, expected: ExpectedVersion) {
  const [row] = await tx.query<{ organisation_id: string; version: number; deleted: boolean }>(sql`
    SELECT organisation_id, version, deleted_at IS NOT NULL AS deleted FROM venues WHERE id = ${id} FOR UPDATE`)
  if (!row) throw new NotFoundError(`No venue ${id}.`)
  if (row.deleted) throw new GoneError(`Venue ${id} has been deleted.`)
  assertCanWrite(actor, row.organisation_id, 'venue')
  assertVersion(expected, row.version)
  return row
}

/**
 * PATCH /v1/venues/{id}: a merge patch. A new postcode without a location, or location: null,
 * places the venue again from the postcode.
 */
export async function patchVenue(db: Db, actor: Actor, id: string, patch: unknown, expected: ExpectedVersion): Promise<Venue> {
  return db.transaction(async (tx) => {
    const row = await lockVenue(tx, actor, id, expected)
    const current = await getLiveVenue(tx, id)
    const readOnly = [...READ_ONLY_FIELDS, 'organisation_id']
    const { doc, problems } = patchedDocument(current, patch, WRITABLE, readOnly)
    const p = patch as Doc
    const newPostcode = typeof p?.address === 'object' && p.address !== null && p.address.postcode !== undefined
    if (p && typeof p === 'object' && (p.location === null || (newPostcode && !('location' in p)))) delete doc.location
    const all = mergeProblems(problems, venueProblems(doc, readOnly), nulProblems(patch))
    if (all.length) throw new ValidationError(all)
    const c = columns(doc, await place(doc))
    const [updated] = await tx.query<{ doc: Venue }>(sql`
      UPDATE venues v SET name = ${c.name}, line1 = ${c.line1}, line2 = ${c.line2}, town = ${c.town}, postcode = ${c.postcode},
        holiday_region = ${c.region},
        location = ${c.point}, accessibility = ${textArray(c.accessibility)}, version = v.version + 1, updated_at = now()
      WHERE v.id = ${id} AND v.version = ${row.version}
      RETURNING ${venueJson('v')} AS doc`)
    return updated.doc
  })
}

/**
 * DELETE /v1/venues/{id}: soft. Refused (409, naming them) while a current session of a
 * scheme that is not deleted meets there. The venue row is locked first, and scheme writes
 * lock the venues they name (FOR KEY SHARE), so a session cannot slip in between.
 */
export async function deleteVenue(db: Db, actor: Actor, id: string, expected: ExpectedVersion): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockVenue(tx, actor, id, expected)
    const users = await tx.query<{ id: string; name: string }>(sql`
      SELECT DISTINCT s.id, s.name FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id
      WHERE ss.venue_id = ${id} AND s.deleted_at IS NULL
        AND ${sessionCurrent('ss', transactionUkToday)}
      ORDER BY s.name, s.id`)
    if (users.length > 0) {
      throw new ConflictError(`Venue ${id} is still used by current sessions of ${users.length} scheme${users.length > 1 ? 's' : ''}: move or end those sessions first.`, { schemes: users })
    }
    await tx.query(sql`UPDATE venues SET deleted_at = now(), version = version + 1, updated_at = now() WHERE id = ${id} AND version = ${row.version}`)
  })
}
