/** What a webhook can subscribe to: a kind of resource and what happened to it (docs/feeds.md). */
export const WEBHOOK_EVENTS = [
  'scheme.created', 'scheme.updated', 'scheme.deleted',
  'venue.created', 'venue.updated', 'venue.deleted',
  'organisation.created', 'organisation.updated',
] as const
export type WebhookEvent = typeof WEBHOOK_EVENTS[number]

/**
 * The wait before attempt `attempt + 1` after `attempt` failed ones: doubling from `baseMs`, at
 * most `maxMs`, so a receiver that is down for hours is tried about hourly and gets everything
 * when it is back.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30))
}
