import Type from 'typebox'
import { WEBHOOK_EVENTS } from '../domain/webhook-events.ts'
import { DEMO_EXAMPLES, DEMO_WEBHOOK_URL } from '../seed/demo-examples.ts'
import { Timestamp, Uuid } from './organisation.ts'

const Url = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500,
  description: 'Where deliveries are POSTed: https:// on the public internet (docs/feeds.md, "Webhooks")', examples: [DEMO_WEBHOOK_URL] })
const Events = Type.Array(Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e))), { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true,
  description: 'The changes to be told of', examples: [['scheme.created', 'scheme.updated', 'scheme.deleted']] })

export const WebhookWriteSchema = Type.Object({
  url: Url,
  events: Events,
  organisation_id: Type.Optional(Uuid('Whose changes: a publisher\'s own organisation (the default for a publisher key); leave out with an admin key for every organisation')),
}, { $id: 'WebhookWrite', additionalProperties: false,
  examples: [{ url: DEMO_WEBHOOK_URL, events: ['scheme.created', 'scheme.updated', 'scheme.deleted'], organisation_id: DEMO_EXAMPLES.organisationId }] })

export const WebhookPatchSchema = Type.Object({
  url: Type.Optional(Url),
  events: Type.Optional(Events),
  active: Type.Optional(Type.Boolean({ description: 'false turns it off; true turns it on again (after it was turned off for failing too): undelivered changes follow' })),
}, { $id: 'WebhookPatch', additionalProperties: false, minProperties: 1, examples: [{ active: false }] })

const webhookFields = {
  id: Uuid('The subscription\'s id'),
  url: Type.String(),
  events: Type.Array(Type.String()),
  organisation_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null: every organisation' }),
  active: Type.Boolean({ description: 'false when turned off, by its owner or after repeated failures (disabled_reason says which)' }),
  disabled_reason: Type.Union([Type.String(), Type.Null()]),
  consecutive_failures: Type.Integer({ minimum: 0 }),
  created_at: Timestamp,
  updated_at: Timestamp,
}

export const WebhookSchema = Type.Object(webhookFields, { $id: 'Webhook', additionalProperties: false })
export const WebhookCreatedSchema = Type.Object({
  ...webhookFields,
  secret: Type.String({ description: 'The key that signs each delivery (HMAC-SHA256). Shown this once: keep it with the receiver.' }),
}, { $id: 'WebhookCreated', additionalProperties: false })
export const WebhookPageSchema = Type.Object({ items: Type.Array(Type.Ref('Webhook')), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'WebhookPage' })

export const WebhookDeliverySchema = Type.Object({
  id: Type.String({ description: 'The delivery\'s id, also in its body as delivery_id and in the Signpost-Delivery header: the same on every retry' }),
  event: Type.String(),
  kind: Type.String(),
  resource_id: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered')], { description: 'pending: not yet answered with 2xx; tried again at next_attempt_at' }),
  attempts: Type.Integer({ minimum: 0 }),
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  next_attempt_at: Type.Union([Timestamp, Type.Null()]),
  delivered_at: Type.Union([Timestamp, Type.Null()]),
}, { $id: 'WebhookDelivery', additionalProperties: false })
export const WebhookDeliveryPageSchema = Type.Object({ items: Type.Array(Type.Ref('WebhookDelivery')), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'WebhookDeliveryPage' })

export const webhookSchemas = [WebhookWriteSchema, WebhookPatchSchema, WebhookSchema, WebhookCreatedSchema, WebhookPageSchema,
  WebhookDeliverySchema, WebhookDeliveryPageSchema]
