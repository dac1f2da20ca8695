/** One line of the validation report. */
export interface Problem {
  /** CSV: the spreadsheet row (the header is row 1). JSON: the record, e.g. "service 2 (id …)". */
  row: string | number
  /** CSV: the column. JSON: the path inside the record. */
  field: string
  level: 'error' | 'warning'
  message: string
}

/** Where a problem that the API's rules report (as a JSON Pointer into a document) sits in the file. */
export type Locate = (pointer: string) => { row: string | number; field: string }

/** The organisation a unit belongs to: an existing one, or one matched on (or made with) its source id. */
export type OrganisationInput =
  | { kind: 'id'; id: string; row: string | number; field: string }
  | { kind: 'ref'; ref: string; doc: Record<string, unknown>; row: string | number; locate: Locate }

/** A venue: an existing Signpost venue (by id, optionally updated), or one matched on its source id. */
export interface VenueInput {
  /** Unique in the run: 'id:<uuid>' or 'ref:<organisation key>:<ref>'. */
  key: string
  id?: string
  ref?: string
  /** The VenueWrite document (without organisation_id); absent: use the venue as it is. */
  doc?: Record<string, unknown>
  locate: Locate
}

/**
 * One scheme with what it needs: its organisation and venues. `doc` holds the SchemeWrite
 * fields the file carries (a field it does not carry keeps its current value on update);
 * its sessions name venues by VenueInput.key in `venue_id`, or null for remote.
 */
export interface ImportUnit {
  label: string
  organisation: OrganisationInput
  venues: VenueInput[]
  /** `createOnly`: fields used when the scheme is new, not to overwrite one (an ORUK list item's fees, say). */
  scheme: { id?: string; ref?: string; doc: Record<string, any>; createOnly?: Record<string, any>; locate: Locate }
  /** Problems found while reading the file. */
  problems: Problem[]
  /** An error that stops the scheme loading was found while reading (a left-out location is not one). */
  fatal: boolean
}

export interface ReadResult {
  units: ImportUnit[]
  /** File-level problems (a bad header, a record that cannot be read). */
  problems: Problem[]
}
