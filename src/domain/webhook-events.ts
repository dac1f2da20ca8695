/** What a webhook can subscribe to: a kind of resource and what happened to it (docs/feeds.md). */
export const WEBHOOK_EVENTS = [
  'scheme.created', 'scheme.updated', 'scheme.deleted',
  'venue.created', 'venue.updated', 'venue.deleted',
  'organisation.created', 'organisation.updated',
] as const
export type WebhookEvent = typeof WEBHOOK_EVENTS[number]
