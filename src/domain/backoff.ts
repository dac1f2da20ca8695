/**
 * The wait after `failures` failed attempts in a row: `baseMs` after the first, doubling each
 * time, never more than `maxMs`. Webhook deliveries (docs/feeds.md) and e-mails
 * (docs/freshness.md) are retried on it, so a receiver that is down for hours is tried about
 * as often as `maxMs` allows and gets everything when it is back.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30))
}
