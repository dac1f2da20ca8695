import type { Db } from '../db/client.ts'
import { AppError, ValidationError, type ProblemItem } from '../errors.ts'
import { mergeProblems, nulProblems, organisationRuleProblems, shapeProblems, venueRuleProblems } from '../domain/scheme-rules.ts'
import { normalisePostcode, resolvePostcode } from '../geo/postcodes.ts'
import { createScheme, getScheme, replaceScheme } from '../repositories/schemes.ts'
import { SchemeWriteSchema } from '../schemas/scheme.ts'
import * as store from './store.ts'
import { canonicalJson } from './values.ts'
import type { ImportUnit, Locate, Problem, VenueInput } from './types.ts'

export interface RunOptions {
  dryRun?: boolean
  /** Schemes written in one transaction (default 100). */
  batchSize?: number
  onProgress?: (done: number, total: number) => void
}

export interface Counts { created: number; updated: number; unchanged: number }
export interface RunResult {
  schemes: Counts & { rejected: number }
  venues: Counts
  organisations: Counts
  problems: Problem[]
}

/** A unit that cannot be loaded, with why. */
class UnitError extends Error {
  constructor(public readonly problems: Problem[]) { super('unit rejected') }
}
class DryRun extends Error {}

type Doc = Record<string, any>
const WRITABLE = Object.keys(SchemeWriteSchema.properties).filter((k) => k !== 'organisation_id')
const SCHEME_DEFAULTS: Doc = {
  description: '', categories: [], needs: [], audience: [], delivery: ['in_person'], cost: { free: true }, self_referral: false,
  accepting_referrals: true, languages: ['en'], contact: {}, accessibility: [], status: 'active', sessions: [],
}
const SESSION_DEFAULTS: Doc = { venue_id: null }

/** A scheme document with the API's defaults filled in, so that two that mean the same compare equal. */
function normalised(doc: Doc): string {
  const d: Doc = { ...SCHEME_DEFAULTS }
  for (const k of WRITABLE) if (doc[k] !== undefined && doc[k] !== null) d[k] = doc[k]
  d.sessions = (d.sessions as Doc[]).map((s) => {
    const out: Doc = { ...SESSION_DEFAULTS }
    for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0 && k === 'except_dates')) out[k] = v
    if (out.frequency === 'once') delete out.days
    return out
  })
  return canonicalJson(d)
}

const located = (locate: Locate, items: ProblemItem[]): Problem[] =>
  items.map((i) => ({ ...locate(i.pointer ?? ''), level: 'error' as const, message: i.message }))

/**
 * Loads the units: organisations and venues matched on their source ids, schemes through
 * the schemes repository (every rule of the API). Each scheme is written inside a savepoint,
 * so a rejected one leaves nothing behind; `batchSize` schemes share a transaction. A dry run
 * does it all in one transaction and rolls it back.
 */
export async function runImport(db: Db, units: ImportUnit[], options: RunOptions = {}): Promise<RunResult> {
  const result: RunResult = {
    schemes: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
    venues: { created: 0, updated: 0, unchanged: 0 },
    organisations: { created: 0, updated: 0, unchanged: 0 },
    problems: [],
  }
  // ids resolved in committed work, by organisation and venue key
  const known = new Map<string, string>()
  const size = options.batchSize ?? 100
  let done = 0
  const runBatch = async (tx: Db, batch: ImportUnit[]) => {
    const staged = new Map<string, string>()
    const counts = structuredClone({ schemes: result.schemes, venues: result.venues, organisations: result.organisations })
    const problems: Problem[] = []
    for (const unit of batch) {
      await runUnit(tx, unit, known, staged, counts, problems)
      options.onProgress?.(++done, units.length)
    }
    return { staged, counts, problems }
  }
  const apply = (r: Awaited<ReturnType<typeof runBatch>>) => {
    for (const [k, v] of r.staged) known.set(k, v)
    Object.assign(result, r.counts)
    result.problems.push(...r.problems)
  }
  if (options.dryRun) {
    try {
      await db.transaction(async (tx) => {
        for (let i = 0; i < units.length; i += size) apply(await runBatch(tx, units.slice(i, i + size)))
        throw new DryRun()
      })
    } catch (err) {
      if (!(err instanceof DryRun)) throw err
    }
  } else {
    for (let i = 0; i < units.length; i += size) apply(await db.transaction((tx) => runBatch(tx, units.slice(i, i + size))))
  }
  return result
}

type BatchCounts = Pick<RunResult, 'schemes' | 'venues' | 'organisations'>

async function runUnit(tx: Db, unit: ImportUnit, known: Map<string, string>, batch: Map<string, string>, counts: BatchCounts, problems: Problem[]) {
  problems.push(...unit.problems)
  if (unit.fatal) { counts.schemes.rejected++; return }
  const staged = new Map<string, string>()
  const lookup = (k: string) => staged.get(k) ?? batch.get(k) ?? known.get(k)
  const local = structuredClone(counts)
  await tx.query('SAVEPOINT import_unit')
  try {
    const organisationId = await organisationOf(tx, unit, lookup, staged, local)
    const venueIds = new Map<string, string>()
    for (const v of unit.venues) venueIds.set(v.key, await venueOf(tx, organisationId, v, lookup, staged, local))
    const doc: Doc = { ...unit.scheme.doc }
    if (Array.isArray(doc.sessions)) doc.sessions = doc.sessions.map((s: Doc) => ({ ...s, venue_id: s.venue_id === null ? null : venueIds.get(s.venue_id) ?? s.venue_id }))
    await writeScheme(tx, organisationId, unit, doc, local)
    await tx.query('RELEASE SAVEPOINT import_unit')
    for (const [k, v] of staged) batch.set(k, v)
    Object.assign(counts, local)
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT import_unit')
    counts.schemes.rejected++
    if (err instanceof UnitError) problems.push(...err.problems)
    else if (err instanceof ValidationError) problems.push(...located(unit.scheme.locate, err.errors ?? []))
    else if (err instanceof AppError) problems.push({ ...unit.scheme.locate(''), level: 'error', message: err.message })
    else problems.push({ ...unit.scheme.locate(''), level: 'error', message: `could not be written: ${(err as Error).message}` })
  }
}

async function organisationOf(tx: Db, unit: ImportUnit, lookup: (k: string) => string | undefined, staged: Map<string, string>, counts: BatchCounts): Promise<string> {
  const o = unit.organisation
  const key = o.kind === 'id' ? `organisation:id:${o.id}` : `organisation:ref:${o.ref}`
  const cached = lookup(key)
  if (cached) return cached
  if (o.kind === 'id') {
    if (!/^[0-9a-f-]{36}$/i.test(o.id) || !(await store.organisationExists(tx, o.id))) {
      throw new UnitError([{ row: o.row, field: o.field, level: 'error', message: `${o.id} is not the id of an organisation` }])
    }
    staged.set(key, o.id)
    return o.id
  }
  const found = await store.findOrganisationBySource(tx, o.ref)
  const current: Doc = found ? Object.fromEntries(['name', 'charity_number', 'website', 'email', 'phone', 'description'].filter((k) => found.doc[k] !== undefined).map((k) => [k, found.doc[k]])) : {}
  const doc: Doc = JSON.parse(JSON.stringify({ ...current, ...o.doc }))
  const bad = mergeProblems(shapeProblems('OrganisationWrite', doc), organisationRuleProblems(doc), nulProblems(doc))
  if (bad.length) throw new UnitError(located(o.locate, bad))
  let id: string
  if (!found) {
    id = await store.insertOrganisation(tx, o.ref, doc)
    counts.organisations.created++
  } else {
    id = found.id
    if (canonicalJson(doc) !== canonicalJson(current)) {
      await store.updateOrganisation(tx, id, doc)
      counts.organisations.updated++
    } else counts.organisations.unchanged++
  }
  staged.set(key, id)
  return id
}

async function venueOf(tx: Db, organisationId: string, v: VenueInput, lookup: (k: string) => string | undefined, staged: Map<string, string>, counts: BatchCounts): Promise<string> {
  const key = `venue:${organisationId}:${v.key}`
  const cached = lookup(key)
  if (cached) return cached
  const fail = (pointer: string, message: string) => new UnitError([{ ...v.locate(pointer), level: 'error', message }])
  const found = await store.findVenue(tx, organisationId, { id: v.id, ref: v.ref })
  if (found && found.organisation_id !== organisationId) throw fail('', 'is a venue of another organisation')
  if (found?.deleted) throw fail('', 'is a venue that has been deleted in Signpost: it is not brought back')
  if (!found && v.id) throw fail('', 'is not the id of a venue')
  if (!found && !v.doc) throw fail('', `names no venue imported before: give the venue's name and address`)
  if (!v.doc) {
    staged.set(key, found!.id)
    return found!.id
  }
  const bad = mergeProblems(shapeProblems('VenueWrite', v.doc), venueRuleProblems(v.doc), nulProblems(v.doc))
  if (bad.length) throw new UnitError(located(v.locate, bad))
  const placed = await place(v)
  if (!found) {
    const id = await store.insertVenue(tx, organisationId, v.ref, placed)
    counts.venues.created++
    staged.set(key, id)
    return id
  }
  const d = found.doc
  const before = { name: d.name, line1: d.address.line1, line2: d.address.line2 ?? null, town: d.address.town, postcode: d.address.postcode, lat: d.location.lat, lon: d.location.lon, accessibility: d.accessibility }
  const after = { ...placed, lat: Math.round(placed.lat * 1e6) / 1e6, lon: Math.round(placed.lon * 1e6) / 1e6 }
  if (canonicalJson(before) !== canonicalJson(after)) {
    await store.updateVenue(tx, found.id, placed)
    counts.venues.updated++
  } else counts.venues.unchanged++
  staged.set(key, found.id)
  return found.id
}

/** The venue's point: as given, or its postcode's centroid (as the API places a venue). */
async function place(v: VenueInput): Promise<store.PlacedVenue> {
  const d = v.doc as Doc
  const base = { name: d.name, line1: d.address.line1, line2: d.address.line2 ?? null, town: d.address.town, accessibility: d.accessibility ?? [] }
  if (d.location) return { ...base, postcode: normalisePostcode(d.address.postcode)?.text ?? d.address.postcode, lat: d.location.lat, lon: d.location.lon }
  const r = await resolvePostcode(d.address.postcode)
  if (!r.ok) throw new UnitError([{ ...v.locate('/address/postcode'), level: 'error', message: r.message }])
  return { ...base, postcode: r.normalised, lat: r.lat, lon: r.lon }
}

async function writeScheme(tx: Db, organisationId: string, unit: ImportUnit, doc: Doc, counts: BatchCounts): Promise<void> {
  const s = unit.scheme
  const found = await store.findScheme(tx, organisationId, { id: s.id, ref: s.ref })
  if (found && found.organisation_id !== organisationId) throw new UnitError([{ ...s.locate(''), field: s.id ? 'scheme_id' : s.locate('').field, level: 'error', message: 'is a scheme of another organisation' }])
  if (found?.deleted) throw new UnitError([{ ...s.locate(''), level: 'error', message: 'is a scheme that has been deleted in Signpost: it is not brought back' }])
  if (!found && s.id) throw new UnitError([{ ...s.locate(''), field: 'scheme_id', level: 'error', message: 'is not the id of a scheme' }])
  if (!found) {
    const body = JSON.parse(JSON.stringify({ ...s.createOnly, ...doc, organisation_id: organisationId }))
    const created = await createScheme(tx, null, body)
    if (s.ref) await store.setSchemeSource(tx, created.id, s.ref)
    counts.schemes.created++
    return
  }
  const current = (await getScheme(tx, found.id))!.doc as Doc
  const writable = Object.fromEntries(WRITABLE.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]))
  // a field the file does not carry keeps its value
  const merged = JSON.parse(JSON.stringify({ ...writable, ...doc }))
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete merged[k]
  if (normalised(merged) === normalised(writable)) {
    counts.schemes.unchanged++
    return
  }
  await replaceScheme(tx, null, found.id, merged)
  counts.schemes.updated++
}
