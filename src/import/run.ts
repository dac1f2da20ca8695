import type { Db } from '../db/client.ts'
import { AppError, ValidationError } from '../errors.ts'
import { mergeProblems, nulProblems, shapeProblems, venueRuleProblems } from '../domain/scheme-rules.ts'
import { createScheme, getScheme, replaceScheme } from '../repositories/schemes.ts'
import * as store from './store.ts'
import { canonicalJson } from '../formats/values.ts'
import { located, matchVenue, normalised, organisationOf, place, UnitError, venueChanged, writableOf, type BatchCounts, type Counts } from './write.ts'
import { fastBatch } from './fast.ts'
import type { ImportUnit, Problem, VenueInput } from './types.ts'

export interface RunOptions {
  dryRun?: boolean
  /** Schemes written in one transaction (default 100). */
  batchSize?: number
  onProgress?: (done: number, total: number) => void
  /** Told when a batch could not be written set-wise and is loaded one scheme at a time. */
  onFallback?: (err: unknown) => void
}

export interface RunResult {
  schemes: Counts & { rejected: number }
  venues: Counts
  organisations: Counts
  problems: Problem[]
}

class DryRun extends Error {}
type Doc = Record<string, any>

/**
 * Loads the units: organisations and venues matched on their source ids, schemes checked by
 * the API's own rules. `batchSize` schemes share a transaction, written set-wise (fast.ts);
 * should that fail, the batch is rolled back and loaded one scheme at a time through the
 * schemes repository, each in a savepoint so that a rejected one leaves nothing behind.
 * A dry run does it all in one transaction and rolls it back.
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
    const fresh = () => ({
      staged: new Map<string, string>(),
      counts: structuredClone({ schemes: result.schemes, venues: result.venues, organisations: result.organisations }),
      problems: [] as Problem[],
    })
    let r = fresh()
    await tx.query('SAVEPOINT import_batch')
    try {
      await fastBatch(tx, batch, known, r.staged, r.counts, r.problems)
      await tx.query('RELEASE SAVEPOINT import_batch')
    } catch (err) {
      // something the checks did not foresee: this batch again, one scheme at a time
      options.onFallback?.(err)
      await tx.query('ROLLBACK TO SAVEPOINT import_batch')
      r = fresh()
      for (const unit of batch) await runUnit(tx, unit, known, r.staged, r.counts, r.problems)
    }
    done += batch.length
    options.onProgress?.(done, units.length)
    return r
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
    if (Array.isArray(doc.sessions)) doc.sessions = doc.sessions.map((s: Doc) => ({ ...s,
      venue_id: s.venue_id === null ? null : venueIds.get(s.venue_id) ?? s.venue_id }))
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

async function venueOf(tx: Db, organisationId: string, v: VenueInput, lookup: (k: string) => string | undefined, staged: Map<string, string>,
  counts: BatchCounts): Promise<string> {
  const key = `venue:${organisationId}:${v.key}`
  const cached = lookup(key)
  if (cached) return cached
  const found = await store.findVenue(tx, organisationId, { id: v.id, ref: v.ref })
  const match = matchVenue(found, organisationId, v)
  if ('refused' in match) throw new UnitError([{ ...v.locate(''), level: 'error', message: match.refused }])
  if ('keep' in match) {
    staged.set(key, match.keep)
    return match.keep
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
  if (venueChanged(found, placed)) {
    await store.updateVenue(tx, found.id, placed)
    counts.venues.updated++
  } else counts.venues.unchanged++
  staged.set(key, found.id)
  return found.id
}

async function writeScheme(tx: Db, organisationId: string, unit: ImportUnit, doc: Doc, counts: BatchCounts): Promise<void> {
  const s = unit.scheme
  const found = await store.findScheme(tx, organisationId, { id: s.id, ref: s.ref })
  if (found && found.organisation_id !== organisationId) throw new UnitError([{ ...s.locate(''), field: s.id ? 'scheme_id' : s.locate('').field,
    level: 'error', message: 'is a scheme of another organisation' }])
  if (found?.deleted) throw new UnitError([{ ...s.locate(''), level: 'error',
    message: 'is a scheme that has been deleted in Signpost: it is not brought back' }])
  if (!found && s.id) throw new UnitError([{ ...s.locate(''), field: 'scheme_id', level: 'error', message: 'is not the id of a scheme' }])
  if (!found) {
    const body = JSON.parse(JSON.stringify({ ...s.createOnly, ...doc, organisation_id: organisationId }))
    const created = await createScheme(tx, null, body)
    if (s.ref) await store.setSchemeSource(tx, created.id, s.ref)
    counts.schemes.created++
    return
  }
  const current = (await getScheme(tx, found.id))!.doc as Doc
  const writable = writableOf(current)
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
