import type { Static, TSchema } from 'typebox'
import type {
  AccessibilityCode, AudienceCode, CapacityStatus, CategoryCode, CostPer, DayCode, DeliveryMode, Frequency, GroupSize, NeedCode, ReferralMethod,
  ReferralSource, SchemeStatus,
} from './vocabularies.ts'
import type {
  BreakSchema, CapacitySchema, ContactSchema, CostSchema, OrganisationRefSchema, ReferralSchema, SchemeBaseSchema, ServiceAreaSchema, SessionSchema,
} from './scheme.ts'
import type { AddressSchema, LocationSchema, VenueSchema } from './venue.ts'
import type { OrganisationSchema } from './organisation.ts'

/**
 * The registered schemas by $id, so that `Static<>` resolves a Type.Ref('Cost') to the Cost
 * schema's type instead of unknown: the documents' TypeScript types come from the contract.
 */
export type SchemaContext = {
  Cost: typeof CostSchema; Contact: typeof ContactSchema; Break: typeof BreakSchema; ServiceArea: typeof ServiceAreaSchema; Session: typeof SessionSchema
  OrganisationRef: typeof OrganisationRefSchema; Location: typeof LocationSchema; Address: typeof AddressSchema
  AccessibilityCode: typeof AccessibilityCode; AudienceCode: typeof AudienceCode; CategoryCode: typeof CategoryCode; CostPer: typeof CostPer
  DayCode: typeof DayCode; DeliveryMode: typeof DeliveryMode; Frequency: typeof Frequency; GroupSize: typeof GroupSize; NeedCode: typeof NeedCode
  SchemeStatus: typeof SchemeStatus
  Referral: typeof ReferralSchema; Capacity: typeof CapacitySchema
  ReferralMethod: typeof ReferralMethod; ReferralSource: typeof ReferralSource; CapacityStatus: typeof CapacityStatus
}

/** A document's type from its schema, references resolved. */
export type DocumentOf<T extends TSchema> = Static<T, SchemaContext>

// The scheme and session documents as SQL builds them (src/db/documents.ts): their summaries
// are added in TypeScript when they are read (src/domain/schedule-summary.ts).
export type SchemeDocument = Omit<DocumentOf<typeof SchemeBaseSchema>, 'schedule_summary'>
export type SessionDocument = Omit<DocumentOf<typeof SessionSchema>, 'summary'>
export type VenueDocument = DocumentOf<typeof VenueSchema>
export type OrganisationDocument = DocumentOf<typeof OrganisationSchema>
