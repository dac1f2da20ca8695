import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { assignments, insertSessions, names, schemeColumns, values } from '../db/columns.ts'
import { schemeDocumentJson } from '../db/documents.ts'
import { GoneError, NotFoundError, PreconditionFailedError, ValidationError, type ProblemItem } from '../errors.ts'
import {
  isWellFormedGeometry, mergeProblems, nulProblems, schemeRuleProblems, sessionVenueIds, shapeProblems,
} from '../domain/scheme-rules.ts'
import { SCHEME_READ_ONLY, SCHEME_WRITABLE, type Scheme, type SchemeWrite } from '../schemas/scheme.ts'
import { assertCanWrite, type Actor } from '../domain/access.ts'
import { patchedDocument } from '../domain/merge-patch.ts'
import type { ShapeVerdict } from '../domain/validate.ts'
import { assertVersion, type ExpectedVersion } from '../domain/version.ts'
import { recordHistory } from './history.ts'
import { owningOrganisation } from './venues.ts'
import { transactionUkToday } from '../db/rules.ts'
import { withSummaries } from '../domain/schedule-summary.ts'

/**
 * Scheme writes: each one transaction that checks, writes the scheme and its sessions,
 * bumps the version and keeps the new version in scheme_history.
 *
 * For in-process writers (the importer): createScheme(db, null, doc) and
 * replaceScheme(db, null, id, doc) take a SchemeWrite document (organisation_id required on
 * create), apply every rule of the API, and throw ValidationError (with pointers) or return
 * the scheme as GET shows it. A null actor skips ownership checks and is recorded as such.
 * `expected` is the version the writer last saw (undefined: any); `checked` is a route's
 * verdict on the body's shape, so that the body is not checked twice.
 */

type Doc = Record<string, any>

/** The document as SQL builds it (no summaries: src/db/documents.ts), and whether it is deleted. */
async function storedScheme(db: Db, id: string): Promise<{ doc: Doc; deleted: boolean } | null> {
  const [row] = await db.query<{ doc: Doc; deleted: boolean }>(sql`
    SELECT ${schemeDocumentJson('s', 'o')} AS doc, s.deleted_at IS NOT NULL AS deleted
    FROM schemes s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ${id}`)
  return row ?? null
}

async function storedLiveScheme(db: Db, id: string): Promise<Doc> {
  const found = await storedScheme(db, id)
  if (!found) throw new NotFoundError(`No scheme ${id}.`)
  if (found.deleted) throw new GoneError(`Scheme ${id} has been deleted. Its history stays at /v1/schemes/${id}/history.`)
  return found.doc
}

/** The document as GET /v1/schemes/{id} shows it (with its schedule's summaries), and whether it is deleted. */
export async function getScheme(db: Db, id: string): Promise<{ doc: Scheme; deleted: boolean } | null> {
  const found = await storedScheme(db, id)
  return found && { doc: withSummaries(found.doc as Scheme), deleted: found.deleted }
}

export async function getLiveScheme(db: Db, id: string): Promise<Scheme> {
  return withSummaries(await storedLiveScheme(db, id) as Scheme)
}

/** GET /v1/schemes/{id}/service_area: the area as written, or null when the scheme has none. */
export async function getServiceArea(db: Db, id: string): Promise<Doc | null> {
  const [row] = await db.query<{ area: Doc | null; deleted: boolean }>(sql`SELECT area_doc AS area, deleted_at IS NOT NULL AS deleted FROM schemes WHERE id = ${id}`)
  if (!row) throw new NotFoundError(`No scheme ${id}.`)
  if (row.deleted) throw new GoneError(`Scheme ${id} has been deleted. Its history stays at /v1/schemes/${id}/history.`)
  return row.area
}

/** 404 unless the scheme exists (deleted or not): history outlives a delete. */
export async function schemeExists(db: Db, id: string): Promise<boolean> {
  return (await db.query(sql`SELECT 1 FROM schemes WHERE id = ${id}`)).length > 0
}

// ---- checks that need the database ----

/**
 * Each session's venue must be a venue of the scheme's organisation, not deleted (a session
 * that is over may keep a venue deleted since). The venues are locked FOR KEY SHARE so that
 * a concurrent venue delete (FOR UPDATE) waits for this write and then sees its sessions,
 * while the venue's search bits (migrations/0008), a plain update, need not wait.
 */
async function venueProblems(tx: Db, organisationId: string, doc: unknown): Promise<ProblemItem[]> {
  const refs = sessionVenueIds(doc)
  if (refs.length === 0) return []
  const ids = JSON.stringify([...new Set(refs.map((r) => r.venueId))])
  const rows = await tx.query<{ id: string; organisation_id: string; deleted: boolean; today: string }>(sql`
    SELECT v.id, v.organisation_id, v.deleted_at IS NOT NULL AS deleted, ${transactionUkToday}::text AS today
    FROM venues v WHERE v.id IN (SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid) ORDER BY v.id FOR KEY SHARE`)
  const byId = new Map(rows.map((r) => [r.id, r]))
  const problems: ProblemItem[] = []
  for (const ref of refs) {
    const v = byId.get(ref.venueId)
    const pointer = `/sessions/${ref.index}/venue_id`
    if (!v) problems.push({ pointer, message: 'is not the id of a venue' })
    else if (v.organisation_id !== organisationId) problems.push({ pointer,
      message: 'is a venue of another organisation: sessions meet at the scheme\'s own organisation\'s venues' })
    else if (v.deleted && ref.current(v.today)) problems.push({ pointer, message: 'is a deleted venue: choose another, or end the session' })
  }
  return problems
}

/** PostGIS decides whether a polygon is valid (no self-crossing, rings that close properly). */
async function geometryValidity(tx: Db, doc: Doc): Promise<ProblemItem[]> {
  const g = doc?.service_area?.type === 'polygon' ? doc.service_area.geometry : undefined
  if (!isWellFormedGeometry(g)) return []
  // A savepoint, so that a geometry PostGIS cannot even read fails this check, not the transaction.
  await tx.query('SAVEPOINT geometry_check')
  try {
    const [r] = await tx.query<{ valid: boolean; reason: string }>(sql`
      SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON(${JSON.stringify(g)}) AS g) x`)
    await tx.query('RELEASE SAVEPOINT geometry_check')
    return r.valid ? [] : [{ pointer: '/service_area/geometry', message: `is not a valid polygon: ${r.reason}` }]
  } catch {
    await tx.query('ROLLBACK TO SAVEPOINT geometry_check')
    return [{ pointer: '/service_area/geometry', message: 'is not a geometry PostGIS can read' }]
  }
}

/** Every problem with a whole scheme document for this organisation, at once. */
async function documentProblems(tx: Db, organisationId: string | null, doc: unknown, extra: ProblemItem[] = [],
  checked?: ShapeVerdict): Promise<ProblemItem[]> {
  const pure = mergeProblems(extra, shapeProblems('SchemeWrite', doc, SCHEME_READ_ONLY, checked), schemeRuleProblems(doc), nulProblems(doc))
  const refs = organisationId ? await venueProblems(tx, organisationId, doc) : []
  return mergeProblems(pure, refs, await geometryValidity(tx, doc as Doc))
}

/** organisation_id on a PUT or PATCH: a publisher may not send it; others only unchanged. */
function organisationIdProblems(actor: Actor | null, body: unknown, current: string): ProblemItem[] {
  const named = typeof body === 'object' && body !== null ? (body as Doc).organisation_id : undefined
  if (named === undefined) return []
  if (actor?.role === 'publisher') return [{ pointer: '/organisation_id', message: 'is read-only for a publisher key' }]
  if (named !== current) return [{ pointer: '/organisation_id', message: 'cannot change: a scheme stays with its organisation' }]
  return []
}

async function writeSessions(tx: Db, schemeId: string, doc: Doc): Promise<void> {
  await tx.query(sql`DELETE FROM sessions WHERE scheme_id = ${schemeId}`)
  await tx.query(insertSessions(sql`FROM jsonb_array_elements(${JSON.stringify(doc.sessions ?? [])}::jsonb) WITH ORDINALITY AS e(s, ord)`, sql`${schemeId}::uuid`))
}

// ---- writes ----

/** POST /v1/schemes, or an in-process create (actor null: organisation_id required). */
export async function createScheme(db: Db, actor: Actor | null, body: SchemeWrite | unknown, checked?: ShapeVerdict): Promise<Scheme> {
  return db.transaction(async (tx) => {
    const problems: ProblemItem[] = []
    const organisationId = await owningOrganisation(tx, actor, body, problems)
    const all = await documentProblems(tx, problems.length ? null : organisationId, body, problems, checked)
    if (all.length) throw new ValidationError(all)
    const doc = body as Doc
    const cols = schemeColumns(sql`x.d`)
    const [row] = await tx.query<{ id: string }>(sql`
      INSERT INTO schemes (organisation_id, ${names(cols)}, last_verified_at)
      SELECT ${organisationId}, ${values(cols)}, now()
      FROM (SELECT ${JSON.stringify(doc)}::jsonb AS d) x
      RETURNING id`)
    await writeSessions(tx, row.id, doc)
    await recordHistory(tx, row.id, 'create', actor)
    return getLiveScheme(tx, row.id)
  })
}

/** Locks the scheme row: 404, 410, 403, 412 in that order. */
export async function lockScheme(tx: Db, actor: Actor | null, id: string, expected: ExpectedVersion) {
  const [row] = await tx.query<{ organisation_id: string; version: number; deleted: boolean }>(sql`
    SELECT organisation_id, version, deleted_at IS NOT NULL AS deleted FROM schemes WHERE id = ${id} FOR UPDATE`)
  if (!row) throw new NotFoundError(`No scheme ${id}.`)
  if (row.deleted) throw new GoneError(`Scheme ${id} has been deleted.`)
  if (actor) assertCanWrite(actor, row.organisation_id, 'scheme')
  assertVersion(expected, row.version)
  return row
}

/**
 * The update itself; `version = expected` makes a lost update impossible even without the lock.
 * An owner's write is a confirmation: it stamps last_verified_at and lists the scheme again.
 */
async function update(tx: Db, actor: Actor | null, id: string, version: number, doc: Doc): Promise<Scheme> {
  const cols = schemeColumns(sql`x.d`, 's')
  const rows = await tx.query(sql`
    UPDATE schemes s SET ${assignments(cols)},
      version = s.version + 1, updated_at = now(), last_verified_at = now(), unlisted_at = NULL
    FROM (SELECT ${JSON.stringify(doc)}::jsonb AS d) x
    WHERE s.id = ${id} AND s.version = ${version} AND s.deleted_at IS NULL
    RETURNING s.id`)
  if (rows.length === 0) throw new PreconditionFailedError()
  await writeSessions(tx, id, doc)
  await recordHistory(tx, id, 'update', actor)
  return getLiveScheme(tx, id)
}

/** PUT /v1/schemes/{id}: the document replaced, sessions included. */
export async function replaceScheme(db: Db, actor: Actor | null, id: string, body: SchemeWrite | unknown, expected?: ExpectedVersion,
  checked?: ShapeVerdict): Promise<Scheme> {
  return db.transaction(async (tx) => {
    const row = await lockScheme(tx, actor, id, expected)
    const orgProblems = organisationIdProblems(actor, body, row.organisation_id)
    const doc = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Doc) } : body
    if (orgProblems.length === 0 && typeof doc === 'object' && doc !== null) delete (doc as Doc).organisation_id
    // the verdict on the body holds for this copy: organisation_id, when dropped, was the current one
    const all = await documentProblems(tx, row.organisation_id, doc, orgProblems, checked)
    if (all.length) throw new ValidationError(all)
    return update(tx, actor, id, row.version, doc as Doc)
  })
}

/** PATCH /v1/schemes/{id}: a JSON Merge Patch of the document, then checked like a PUT. */
export async function patchScheme(db: Db, actor: Actor | null, id: string, patch: unknown, expected?: ExpectedVersion): Promise<Scheme> {
  return db.transaction(async (tx) => {
    const row = await lockScheme(tx, actor, id, expected)
    const orgProblems = organisationIdProblems(actor, patch, row.organisation_id)
    const rest = typeof patch === 'object' && patch !== null && !Array.isArray(patch)
      ? Object.fromEntries(Object.entries(patch).filter(([k]) => k !== 'organisation_id')) : patch
    // the document as stored: its summaries are read-only, never part of what a PATCH merges into
    const current = await storedLiveScheme(tx, id)
    const { doc, problems } = patchedDocument(current, rest, SCHEME_WRITABLE, SCHEME_READ_ONLY)
    const all = await documentProblems(tx, row.organisation_id, doc, [...orgProblems, ...problems, ...nulProblems(patch)])
    if (all.length) throw new ValidationError(all)
    return update(tx, actor, id, row.version, doc)
  })
}

/** POST /v1/schemes/{id}/verify: "still running as described"; stamps last_verified_at. */
export async function verifyScheme(db: Db, actor: Actor | null, id: string, expected?: ExpectedVersion): Promise<Scheme> {
  return db.transaction(async (tx) => {
    const row = await lockScheme(tx, actor, id, expected)
    await tx.query(sql`UPDATE schemes SET last_verified_at = now(), unlisted_at = NULL, version = version + 1 WHERE id = ${id} AND version = ${row.version}`)
    await recordHistory(tx, id, 'verify', actor)
    return getLiveScheme(tx, id)
  })
}

/** DELETE /v1/schemes/{id}: soft; the scheme leaves search and GET answers 410; history stays. */
export async function deleteScheme(db: Db, actor: Actor | null, id: string, expected?: ExpectedVersion): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockScheme(tx, actor, id, expected)
    await tx.query(sql`UPDATE schemes SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE id = ${id} AND version = ${row.version}`)
    await recordHistory(tx, id, 'delete', actor)
  })
}
