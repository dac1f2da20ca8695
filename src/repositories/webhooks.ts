import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { ts } from '../db/documents.ts'

/** Webhook subscriptions, the outbox and the delivery log (migrations/0022_webhooks.sql). */

export interface Subscription {
  id: string
  url: string
  events: string[]
  organisation_id: string | null
  active: boolean
  disabled_reason: string | null
  consecutive_failures: number
  created_at: string
  updated_at: string
}

const subscriptionJson = (w = 'w') => {
  const c = (name: string) => sql.raw(`${w}.${name}`)
  return sql`jsonb_build_object('id', ${c('id')}, 'url', ${c('url')}, 'events', to_jsonb(${c('events')}),
    'organisation_id', ${c('organisation_id')}, 'active', ${c('disabled_at')} IS NULL, 'disabled_reason', ${c('disabled_reason')},
    'consecutive_failures', ${c('consecutive_failures')}, 'created_at', ${ts(c('created_at'))}, 'updated_at', ${ts(c('updated_at'))})`
}

/** Which subscriptions a reader may see: an organisation's own, or (null) all. */
const visibleTo = (organisationId: string | null | undefined): SQL =>
  organisationId === undefined || organisationId === null ? sql`true` : sql`w.organisation_id = ${organisationId}`

export async function insertSubscription(db: Db, row: { url: string; events: string[]; organisationId: string | null; secret: string; createdBy: string | null }): Promise<Subscription> {
  const [r] = await db.query<{ doc: Subscription }>(sql`
    INSERT INTO webhook_subscriptions AS w (url, events, organisation_id, secret, created_by)
    VALUES (${row.url}, ${sql.param(row.events)}::text[], ${row.organisationId}, ${row.secret}, ${row.createdBy})
    RETURNING ${subscriptionJson()} AS doc`)
  return r.doc
}

/** A subscription, when `organisationId` (null: an admin) may see it. */
export async function findSubscription(db: Db, id: string, organisationId: string | null): Promise<Subscription | null> {
  const [r] = await db.query<{ doc: Subscription }>(sql`SELECT ${subscriptionJson()} AS doc FROM webhook_subscriptions w WHERE w.id = ${id} AND ${visibleTo(organisationId)}`)
  return r?.doc ?? null
}

export async function listSubscriptions(db: Db, organisationId: string | null, limit: number, afterId: string | null): Promise<Subscription[]> {
  const rows = await db.query<{ doc: Subscription }>(sql`
    SELECT ${subscriptionJson()} AS doc FROM webhook_subscriptions w
    WHERE ${visibleTo(organisationId)} AND (${afterId}::uuid IS NULL OR w.id > ${afterId}::uuid) ORDER BY w.id LIMIT ${limit + 1}`)
  return rows.map((r) => r.doc)
}

/** Changes url, events and whether it is active (re-enabling clears the failure count); null when not visible. */
export async function updateSubscription(db: Db, id: string, organisationId: string | null,
  change: { url?: string; events?: string[]; active?: boolean }): Promise<Subscription | null> {
  const [r] = await db.query<{ doc: Subscription }>(sql`
    UPDATE webhook_subscriptions w SET
      url = coalesce(${change.url ?? null}, url),
      events = coalesce(${change.events ? sql`${sql.param(change.events)}::text[]` : sql`NULL`}, events),
      disabled_at = CASE WHEN ${change.active ?? null}::boolean IS NULL THEN disabled_at WHEN ${change.active ?? null}::boolean THEN NULL ELSE coalesce(disabled_at, now()) END,
      disabled_reason = CASE WHEN ${change.active ?? null}::boolean IS NULL THEN disabled_reason WHEN ${change.active ?? null}::boolean THEN NULL ELSE 'turned off by its owner' END,
      consecutive_failures = CASE WHEN ${change.active ?? null}::boolean THEN 0 ELSE consecutive_failures END,
      updated_at = now()
    WHERE w.id = ${id} AND ${visibleTo(organisationId)}
    RETURNING ${subscriptionJson()} AS doc`)
  return r?.doc ?? null
}

export async function deleteSubscription(db: Db, id: string, organisationId: string | null): Promise<boolean> {
  const rows = await db.query(sql`DELETE FROM webhook_subscriptions w WHERE w.id = ${id} AND ${visibleTo(organisationId)} RETURNING w.id`)
  return rows.length > 0
}

export interface Delivery {
  id: string
  event: string
  kind: string
  resource_id: string
  status: 'pending' | 'delivered'
  attempts: number
  last_status_code: number | null
  last_error: string | null
  created_at: string
  next_attempt_at: string | null
  delivered_at: string | null
}

/** A subscription's deliveries, newest first. */
export async function listDeliveries(db: Db, subscriptionId: string, limit: number, beforeId: string | null): Promise<Delivery[]> {
  const rows = await db.query<{ doc: Delivery }>(sql`
    SELECT jsonb_build_object('id', d.id::text, 'event', d.event, 'kind', d.kind, 'resource_id', d.resource_id, 'status', d.status,
      'attempts', d.attempts, 'last_status_code', d.last_status_code, 'last_error', d.last_error, 'created_at', ${ts(sql`d.created_at`)},
      'next_attempt_at', CASE WHEN d.status = 'pending' THEN ${ts(sql`d.next_attempt_at`)} END, 'delivered_at', ${ts(sql`d.delivered_at`)}) AS doc
    FROM webhook_deliveries d
    WHERE d.subscription_id = ${subscriptionId} AND (${beforeId}::bigint IS NULL OR d.id < ${beforeId}::bigint)
    ORDER BY d.id DESC LIMIT ${limit + 1}`)
  return rows.map((r) => r.doc)
}

// ---- the dispatcher's side ----

export interface OutboxRow { seq: string; kind: 'scheme' | 'venue' | 'organisation'; id: string; event: string; occurred_at: string }

/** The oldest outbox rows no other dispatcher holds, locked until the transaction ends; then removed. */
export async function takeOutbox(tx: Db, limit: number): Promise<OutboxRow[]> {
  return tx.query<OutboxRow>(sql`
    DELETE FROM webhook_outbox o WHERE o.seq IN (
      SELECT seq FROM webhook_outbox ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING o.seq::text AS seq, o.kind, o.id, o.event, ${ts(sql`o.occurred_at`)} AS occurred_at`)
}

export async function activeSubscriptions(db: Db): Promise<Array<{ id: string; events: string[]; organisation_id: string | null }>> {
  return db.query(sql`SELECT id, events, organisation_id FROM webhook_subscriptions WHERE disabled_at IS NULL`)
}

export async function insertDeliveries(tx: Db, rows: Array<{ subscriptionId: string; event: string; kind: string; resourceId: string; payload: unknown }>): Promise<void> {
  if (rows.length === 0) return
  await tx.query(sql`
    INSERT INTO webhook_deliveries (subscription_id, event, kind, resource_id, payload)
    SELECT x.s, x.e, x.k, x.r, x.p FROM unnest(${sql.param(rows.map((r) => r.subscriptionId))}::uuid[], ${sql.param(rows.map((r) => r.event))}::text[],
      ${sql.param(rows.map((r) => r.kind))}::text[], ${sql.param(rows.map((r) => r.resourceId))}::uuid[],
      ${sql.param(rows.map((r) => JSON.stringify(r.payload)))}::jsonb[]) WITH ORDINALITY AS x(s, e, k, r, p, n)
    ORDER BY x.n`)
}

export interface DueDelivery { id: string; subscription_id: string; url: string; secret: string; event: string; payload: string; attempts: number }

/**
 * Claims up to `limit` due deliveries for `leaseS` seconds: each the oldest pending one of its
 * subscription and resource (a later change waits for an earlier one), none another process holds.
 */
export async function claimDue(db: Db, limit: number, leaseS: number): Promise<DueDelivery[]> {
  return db.query<DueDelivery>(sql`
    UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => ${leaseS}), attempts = d.attempts + 1
    FROM webhook_subscriptions w
    WHERE w.id = d.subscription_id AND d.id IN (
      SELECT p.id FROM webhook_deliveries p JOIN webhook_subscriptions ws ON ws.id = p.subscription_id AND ws.disabled_at IS NULL
      WHERE p.status = 'pending' AND p.next_attempt_at <= now() AND (p.locked_until IS NULL OR p.locked_until < now())
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = p.subscription_id AND e.kind = p.kind
          AND e.resource_id = p.resource_id AND e.status = 'pending' AND e.id < p.id)
      ORDER BY p.next_attempt_at, p.id LIMIT ${limit} FOR UPDATE OF p SKIP LOCKED)
    RETURNING d.id::text AS id, d.subscription_id, w.url, w.secret, d.event, d.payload::text AS payload, d.attempts`)
}

export async function markDelivered(db: Db, id: string, statusCode: number): Promise<void> {
  await db.query(sql`
    WITH d AS (UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), locked_until = NULL, last_status_code = ${statusCode}, last_error = NULL
               WHERE id = ${id}::bigint RETURNING subscription_id)
    UPDATE webhook_subscriptions w SET consecutive_failures = 0 FROM d WHERE w.id = d.subscription_id`)
}

/**
 * Records a failed attempt: tried again after `retryMs`; the subscription is turned off when
 * this makes `disableAfter` failures in a row (its pending deliveries wait for it to be turned on).
 */
export async function markFailed(db: Db, id: string, outcome: { statusCode: number | null; error: string }, retryMs: number, disableAfter: number): Promise<void> {
  await db.query(sql`
    WITH d AS (UPDATE webhook_deliveries SET locked_until = NULL, last_status_code = ${outcome.statusCode}, last_error = ${outcome.error.slice(0, 500)},
                 next_attempt_at = now() + make_interval(secs => ${retryMs / 1000})
               WHERE id = ${id}::bigint RETURNING subscription_id)
    UPDATE webhook_subscriptions w SET consecutive_failures = w.consecutive_failures + 1,
      disabled_at = CASE WHEN w.consecutive_failures + 1 >= ${disableAfter} THEN coalesce(w.disabled_at, now()) ELSE w.disabled_at END,
      disabled_reason = CASE WHEN w.consecutive_failures + 1 >= ${disableAfter} AND w.disabled_at IS NULL
        THEN ${`${disableAfter} deliveries in a row failed; the last: `} || ${outcome.error.slice(0, 300)} ELSE w.disabled_reason END
    FROM d WHERE w.id = d.subscription_id`)
}
