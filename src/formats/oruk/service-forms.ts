import { fullService, serviceSummary, type FullServiceInput } from './services.ts'
import type { MappingContext, NativeOrganisation, NativeScheme, NativeSession, NativeVenue } from './types.ts'

/**
 * The three forms of a service in a list (HSDS 3.0's parameters on GET /services): minimal
 * (minimal=true: id and last_modified only, for a consumer to find what changed or went),
 * summary (the default, ORUK's service_list) and full (full=true: as GET /services/{id}).
 */
export type ServiceForm = 'minimal' | 'summary' | 'full'

/** A service as the repository reads it for a list; a form reads only its own fields. */
export interface ServiceRow {
  id: string
  last_modified: string
  /** summary and full */
  scheme?: NativeScheme
  organisation?: NativeOrganisation
  /** full: the current sessions, their undeleted venues, a radius area's extent */
  sessions?: NativeSession[]
  venues?: NativeVenue[]
  area_extent?: string | null
}

/** A full row → what fullService reads. */
export const fullServiceInput = (r: ServiceRow): FullServiceInput => ({
  scheme: r.scheme!, organisation: r.organisation!, sessions: r.sessions ?? [], venues: r.venues ?? [], areaExtent: r.area_extent ?? undefined,
  lastModified: r.last_modified,
})

export function serviceInForm(form: ServiceForm, r: ServiceRow, ctx: MappingContext): Record<string, unknown> {
  if (form === 'minimal') return { id: r.id, last_modified: r.last_modified }
  if (form === 'full') return fullService(fullServiceInput(r), ctx)
  return serviceSummary(r.scheme!, r.organisation!, r.last_modified)
}
