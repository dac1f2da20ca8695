import type { OrganisationDocument, SchemeDocument, SessionDocument, VenueDocument } from '../../schemas/documents.ts'

/**
 * The native documents (src/db/documents.ts) that the mappings read, typed from the API's own
 * contract (src/schemas/documents.ts): a field added to a scheme reaches them by itself.
 */
export type NativeOrganisation = OrganisationDocument
export type NativeVenue = VenueDocument
export type NativeSession = SessionDocument & { position: number }
export type NativeScheme = SchemeDocument
export type NativeServiceArea = NonNullable<SchemeDocument['service_area']>

/** What the mapping needs from outside: the UK nation of a postcode (for state_province). */
export interface MappingContext {
  nationOf(postcode: string): string | undefined
}
