import Type from 'typebox'
import { VOCABULARIES, codes, vocabularyLists, type VocabularyName } from '../domain/vocabularies.ts'

/** A code from one vocabulary; an unknown code is a 400 listing the allowed ones. */
// Enums render as one line in OpenAPI and give "must be one of: …" messages.
const enumOf = <V extends VocabularyName>(name: V, $id: string) => Type.Unsafe<keyof (typeof VOCABULARIES)[V] & string>({ $id, type: 'string', enum: codes(name),
  description: `A ${name} code (see GET /v1/vocabularies)` })

export const AccessibilityCode = enumOf('accessibility', 'AccessibilityCode')
export const CategoryCode = enumOf('categories', 'CategoryCode')
export const NeedCode = enumOf('needs', 'NeedCode')
export const AudienceCode = enumOf('audience', 'AudienceCode')
export const DeliveryMode = enumOf('delivery', 'DeliveryMode')
export const DayCode = enumOf('days', 'DayCode')
export const PeriodCode = enumOf('period', 'PeriodCode')
export const Frequency = enumOf('frequency', 'Frequency')
export const GroupSize = enumOf('group_size', 'GroupSize')
export const CostPer = enumOf('cost_per', 'CostPer')
export const SchemeStatus = enumOf('status', 'SchemeStatus')
export const ReferralMethod = enumOf('referral_methods', 'ReferralMethod')
export const ReferralSource = enumOf('referral_from', 'ReferralSource')
export const CapacityStatus = enumOf('capacity_status', 'CapacityStatus')

const Term = Type.Object({ code: Type.String(), label: Type.String(), description: Type.Optional(Type.String({ description: 'What the code promises, in one line' })) })
export const VocabulariesSchema = Type.Object(
  Object.fromEntries(Object.keys(VOCABULARIES).map((k) => [k, Type.Array(Term)])) as Record<VocabularyName, ReturnType<typeof Type.Array<typeof Term>>>,
  { $id: 'Vocabularies', examples: [vocabularyLists()] },
)

export const vocabularySchemas = [AccessibilityCode, CategoryCode, NeedCode, AudienceCode, DeliveryMode, DayCode, PeriodCode, Frequency, GroupSize,
  CostPer, SchemeStatus, ReferralMethod, ReferralSource, CapacityStatus, VocabulariesSchema]
