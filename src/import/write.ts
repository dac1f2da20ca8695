import type { Db } from '../db/client.ts'
import { AppError, ValidationError, type ProblemItem } from '../errors.ts'
import { mergeProblems, nulProblems, organisationRuleProblems, shapeProblems, venueRuleProblems } from '../domain/scheme-rules.ts'
import { normalisePostcode, resolvePostcode } from '../geo/postcodes.ts'
import { createScheme, getScheme, replaceScheme } from '../repositories/schemes.ts'
import { SCHEME_READ_ONLY, SCHEME_WRITABLE } from '../schemas/scheme.ts'
import { writablePart } from '../domain/merge-patch.ts'
import * as store from './store.ts'
import { canonicalJson } from '../formats/values.ts'
import type { ImportUnit, Locate, Problem, VenueInput } from './types.ts'
import { SCHEME_DEFAULTS } from '../domain/scheme-defaults.ts'

/** A unit that cannot be loaded, with why. */
export class UnitError extends Error {
  constructor(public readonly problems: Problem[]) { super('unit rejected') }
}

type Doc = Record<string, any>

/** What a stored scheme's document would say as a write: the part an import merges its file into and compares with. */
export const writableOf = (doc: Doc): Doc => writablePart(doc, SCHEME_WRITABLE, SCHEME_READ_ONLY)

const SESSION_DEFAULTS: Doc = { venue_id: null }

/** A scheme document with the API's defaults filled in, so that two that mean the same compare equal. */
export function normalised(doc: Doc): string {
  const d: Doc = { ...SCHEME_DEFAULTS }
  for (const k of SCHEME_WRITABLE) if (doc[k] !== undefined && doc[k] !== null) d[k] = doc[k]
  d.sessions = (d.sessions as Doc[]).map((s) => {
    const out: Doc = { ...SESSION_DEFAULTS }
    for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0 && k === 'except_dates')) out[k] = v
    if (out.frequency === 'once') delete out.days
    return out
  })
  return canonicalJson(d)
}

export const located = (locate: Locate, items: ProblemItem[]): Problem[] =>
  items.map((i) => ({ ...locate(i.pointer ?? ''), level: 'error' as const, message: i.message }))

export type BatchCounts = { schemes: Counts & { rejected: number }; venues: Counts; organisations: Counts }
export interface Counts { created: number; updated: number; unchanged: number }

export async function organisationOf(tx: Db, unit: ImportUnit, lookup: (k: string) => string | undefined, staged: Map<string, string>,
  counts: BatchCounts): Promise<string> {
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
  const current: Doc = found ? Object.fromEntries(['name', 'charity_number', 'website', 'email', 'phone',
    'description'].filter((k) => found.doc[k] !== undefined).map((k) => [k, found.doc[k]])) : {}
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

/** The venue's point: as given, or its postcode's centroid (as the API places a venue). */
export async function place(v: VenueInput): Promise<store.PlacedVenue> {
  const d = v.doc as Doc
  const base = { name: d.name, line1: d.address.line1, line2: d.address.line2 ?? null, town: d.address.town, accessibility: d.accessibility ?? [] }
  if (d.location) return { ...base, postcode: normalisePostcode(d.address.postcode)?.text ?? d.address.postcode, lat: d.location.lat, lon: d.location.lon }
  const r = await resolvePostcode(d.address.postcode)
  if (!r.ok) throw new UnitError([{ ...v.locate('/address/postcode'), level: 'error', message: r.message }])
  return { ...base, postcode: r.normalised, lat: r.lat, lon: r.lon }
}


/**
 * How a file's venue meets the venue Signpost holds for it (by id or source id), for both
 * import paths: refused, with why; `keep` the stored venue as it is (the file names it
 * without an address); or `write` it (create it, or update it if `changed`).
 */
export function matchVenue(found: store.StoredVenue | undefined, organisationId: string, v: VenueInput):
  { refused: string } | { keep: string } | { write: true } {
  if (found && found.organisation_id !== organisationId) return { refused: 'is a venue of another organisation' }
  if (found?.deleted) return { refused: 'is a venue that has been deleted in Signpost: it is not brought back' }
  if (!found && v.id) return { refused: 'is not the id of a venue' }
  if (!found && !v.doc) return { refused: 'names no venue imported before: give the venue\'s name and address' }
  if (!v.doc) return { keep: found!.id }
  return { write: true }
}

/** Does the placed venue differ from the stored one (coordinates as stored, to six places)? */
export function venueChanged(found: store.StoredVenue, placed: store.PlacedVenue): boolean {
  const d = found.doc
  const before = { name: d.name, line1: d.address.line1, line2: d.address.line2 ?? null, town: d.address.town, postcode: d.address.postcode,
    lat: d.location.lat, lon: d.location.lon, accessibility: d.accessibility }
  const after = { ...placed, lat: Math.round(placed.lat * 1e6) / 1e6, lon: Math.round(placed.lon * 1e6) / 1e6 }
  return canonicalJson(before) !== canonicalJson(after)
}
