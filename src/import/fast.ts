import type { Db } from '../db/client.ts'
import { AppError, ValidationError } from '../errors.ts'
import { mergeProblems, nulProblems, schemeRuleProblems, shapeProblems, venueRuleProblems } from '../domain/scheme-rules.ts'
import { replaceScheme } from '../repositories/schemes.ts'
import * as store from './store.ts'
import { canonicalJson } from '../formats/values.ts'
import { located, matchVenue, normalised, organisationOf, place, UnitError, venueChanged, writableOf, type BatchCounts } from './write.ts'
import type { ImportUnit, Problem, VenueInput } from './types.ts'
import { SCHEME_READ_ONLY } from '../schemas/scheme.ts'

type Doc = Record<string, any>
/** Stands in for a venue id while a document is checked before its venues are written. */
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000'

interface Work {
  unit: ImportUnit
  organisationId?: string
  existing?: store.StoredScheme & { doc: Doc }
  current?: Doc
  body?: Doc
  rejected: boolean
}

/**
 * A batch written set-wise: checked first with the API's own rules (the write schemas and
 * scheme-rules), then organisations, venues (new ones in one statement) and new schemes
 * (three statements for the batch); a changed scheme goes through the schemes repository's
 * PUT. About four statements per batch instead of ten per scheme. Throws on anything the
 * checks did not foresee: the caller then rolls the batch back and loads it one scheme at a time.
 */
export async function fastBatch(tx: Db, batch: ImportUnit[], known: Map<string, string>, staged: Map<string, string>, counts: BatchCounts,
  problems: Problem[]): Promise<void> {
  const lookup = (k: string) => staged.get(k) ?? known.get(k)
  const work: Work[] = []
  for (const unit of batch) {
    problems.push(...unit.problems)
    if (unit.fatal) counts.schemes.rejected++
    else work.push({ unit, rejected: false })
  }
  const reject = (w: Work, ps: Problem[]) => {
    if (!w.rejected) { w.rejected = true; counts.schemes.rejected++ }
    problems.push(...ps)
  }
  const alive = () => work.filter((w) => !w.rejected)

  // organisations (few: matched or made once per run)
  for (const w of work) {
    try {
      w.organisationId = await organisationOf(tx, w.unit, lookup, staged, counts)
    } catch (err) {
      if (!(err instanceof UnitError)) throw err
      reject(w, err.problems)
    }
  }

  // the schemes already there, and each scheme's document as it will be written
  const found = await store.findSchemes(tx, alive().map((w, i) => ({ i, id: w.unit.scheme.id, organisation_id: w.organisationId, ref: w.unit.scheme.ref })))
  alive().forEach((w, i) => {
    const s = w.unit.scheme
    const f = found.get(i)
    const fail = (field: string | undefined, message: string) => reject(w, [{ ...s.locate(''), ...(field ? { field } : {}), level: 'error', message }])
    if (f && f.organisation_id !== w.organisationId) return fail(s.id ? 'scheme_id' : undefined, 'is a scheme of another organisation')
    if (f?.deleted) return fail(undefined, 'is a scheme that has been deleted in Signpost: it is not brought back')
    if (!f && s.id) return fail('scheme_id', 'is not the id of a scheme')
    if (f) {
      w.existing = f
      w.current = writableOf(f.doc)
      const merged = JSON.parse(JSON.stringify({ ...w.current, ...s.doc }))
      for (const k of Object.keys(s.doc)) if (s.doc[k] === undefined) delete merged[k]
      w.body = merged
    } else {
      w.body = JSON.parse(JSON.stringify({ ...s.createOnly, ...s.doc, organisation_id: w.organisationId }))
    }
  })

  // the API's rules, with stand-in venue ids
  const venueKeys = new Set(alive().flatMap((w) => w.unit.venues.map((v) => v.key)))
  for (const w of alive()) {
    const probe = { ...w.body,
      sessions: Array.isArray(w.body!.sessions) ? w.body!.sessions.map((x: Doc) => (venueKeys.has(x?.venue_id) ? { ...x,
        venue_id: PLACEHOLDER } : x)) : w.body!.sessions }
    if (!Array.isArray(w.body!.sessions)) delete probe.sessions
    const bad = mergeProblems(shapeProblems('SchemeWrite', probe, SCHEME_READ_ONLY), schemeRuleProblems(probe), nulProblems(probe))
    if (bad.length) reject(w, located(w.unit.scheme.locate, bad))
  }

  // venues: each checked once, looked up in one statement, new ones written in one statement
  const users = new Map<string, { v: VenueInput; organisationId: string; works: Work[] }>()
  for (const w of alive()) {
    for (const v of w.unit.venues) {
      const key = `venue:${w.organisationId}:${v.key}`
      const entry = users.get(key) ?? { v, organisationId: w.organisationId!, works: [] }
      entry.works.push(w)
      users.set(key, entry)
    }
  }
  const ids = new Map<string, string>()
  const failVenue = (key: string, ps: Problem[]) => {
    const e = users.get(key)!
    e.works.forEach((w, i) => reject(w, i === 0 ? ps : []))
    users.delete(key)
  }
  for (const [key, { v }] of users) {
    const cached = lookup(key)
    if (cached) { ids.set(key, cached); users.delete(key); continue }
    if (v.doc) {
      const bad = mergeProblems(shapeProblems('VenueWrite', v.doc), venueRuleProblems(v.doc), nulProblems(v.doc))
      if (bad.length) failVenue(key, located(v.locate, bad))
    }
  }
  const stored = await store.findVenues(tx, [...users].map(([k, e]) => ({ k, id: e.v.id, organisation_id: e.organisationId, ref: e.v.ref })))
  const inserts: Array<{ key: string; venue: store.PlacedVenue & { organisation_id: string; ref?: string } }> = []
  for (const [key, { v, organisationId }] of [...users]) {
    const f = stored.get(key)
    const match = matchVenue(f, organisationId, v)
    if ('refused' in match) { failVenue(key, [{ ...v.locate(''), level: 'error', message: match.refused }]); continue }
    if ('keep' in match) { ids.set(key, match.keep); continue }
    let placed: store.PlacedVenue
    try {
      placed = await place(v)
    } catch (err) {
      if (!(err instanceof UnitError)) throw err
      failVenue(key, err.problems)
      continue
    }
    if (!f) { inserts.push({ key, venue: { ...placed, organisation_id: organisationId, ref: v.ref } }); continue }
    if (venueChanged(f, placed)) {
      await store.updateVenue(tx, f.id, placed)
      counts.venues.updated++
    } else counts.venues.unchanged++
    ids.set(key, f.id)
  }
  const newIds = await store.insertVenues(tx, inserts.map((x) => x.venue))
  inserts.forEach((x, i) => ids.set(x.key, newIds[i]))
  counts.venues.created += newIds.length
  for (const [key, id] of ids) staged.set(key, id)

  // the real venue ids into the documents
  for (const w of alive()) {
    if (!Array.isArray(w.body!.sessions)) continue
    const byKey = new Map(w.unit.venues.map((v) => [v.key, ids.get(`venue:${w.organisationId}:${v.key}`)]))
    w.body!.sessions = w.body!.sessions.map((x: Doc) => (byKey.has(x.venue_id) ? { ...x, venue_id: byKey.get(x.venue_id) } : x))
  }

  // changed schemes through the repository's PUT, each in a savepoint
  for (const w of alive().filter((x) => x.existing)) {
    if (normalised(w.body!) === normalised(w.current!)) { counts.schemes.unchanged++; continue }
    await tx.query('SAVEPOINT import_unit')
    try {
      await replaceScheme(tx, null, w.existing!.id, w.body)
      await tx.query('RELEASE SAVEPOINT import_unit')
      counts.schemes.updated++
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT import_unit')
      if (err instanceof ValidationError) reject(w, located(w.unit.scheme.locate, err.errors ?? []))
      else if (err instanceof AppError) reject(w, [{ ...w.unit.scheme.locate(''), level: 'error', message: err.message }])
      else throw err
    }
  }

  // new schemes: polygons checked by PostGIS, then all written at once
  const fresh = alive().filter((x) => !x.existing)
  const polygons = fresh.filter((w) => w.body!.service_area?.type === 'polygon')
  const valid = await store.polygonsValid(tx, polygons.map((w) => w.body!.service_area.geometry))
  polygons.forEach((w, i) => { if (!valid[i]) reject(w,
    [{ ...w.unit.scheme.locate('/service_area/geometry'), level: 'error', message: 'is not a valid polygon (PostGIS ST_IsValid)' }]) })
  const items = fresh.filter((w) => !w.rejected).map((w) => {
    const { organisation_id, ...doc } = w.body!
    return { organisation_id, ref: w.unit.scheme.ref, doc }
  })
  const created = await store.insertSchemes(tx, items)
  counts.schemes.created += created.length
}
