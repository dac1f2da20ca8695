import Type from 'typebox'
import { CHANGE_NUMBER_PATTERN } from '../feeds/rpde.ts'

export const FeedQuery = Type.Object({
  afterChangeNumber: Type.Optional(Type.String({ pattern: CHANGE_NUMBER_PATTERN, maxLength: 18,
    description: 'The `modified` of the last item you have: the page starts after it. Leave out to start from the beginning.',
    examples: ['0'] })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'Items per page' })),
}, { additionalProperties: false })

const FeedItem = (kind: string, data: string) => Type.Object({
  state: Type.Union([Type.Literal('updated'), Type.Literal('deleted')]),
  kind: Type.Literal(kind),
  id: Type.String({ format: 'uuid' }),
  modified: Type.Integer({ minimum: 0, description: 'The change number: pass the last one back as afterChangeNumber' }),
  data: Type.Optional(Type.Ref(data)),
}, { additionalProperties: false, description: `An RPDE item: \`updated\` with the ${kind} as GET returns it, or \`deleted\` without data` })

const FeedPage = ($id: string, kind: string, data: string) => Type.Object({
  next: Type.String({ format: 'uri', description: 'The next page; on the last page (no items), this page again' }),
  items: Type.Array(FeedItem(kind, data)),
  license: Type.String({ format: 'uri' }),
}, { $id, additionalProperties: false })

export const SchemeFeedSchema = FeedPage('SchemeFeedPage', 'scheme', 'Scheme')
export const VenueFeedSchema = FeedPage('VenueFeedPage', 'venue', 'Venue')
export const OrganisationFeedSchema = FeedPage('OrganisationFeedPage', 'organisation', 'Organisation')

export const feedSchemas = [SchemeFeedSchema, VenueFeedSchema, OrganisationFeedSchema]
