import http from 'node:http'
import https from 'node:https'
import type { Db } from '../../db/client.ts'
import { liveDocuments, type ChangeKind } from '../../repositories/changes.ts'
import {
  activeSubscriptions, claimDue, insertDeliveries, markDelivered, markFailed, takeOutbox, type DueDelivery,
} from '../../repositories/webhooks.ts'
import { backoffMs } from '../../domain/backoff.ts'
import { webhookTarget } from './address.ts'
import { SIGNATURE_HEADER, signature } from './signature.ts'

export interface DispatchSettings {
  allowPrivate: boolean
  timeoutMs: number
  retryBaseMs: number
  retryMaxMs: number
  disableAfter: number
  now?: () => Date
}

/**
 * Outbox → deliveries, one batch in one transaction: each change becomes a delivery for every
 * active subscription to its event (and its organisation, unless the subscription is an
 * admin's for all), with the document as GET shows it now. Returns how many changes it took.
 */
export async function fanOut(db: Db, batch = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const changes = await takeOutbox(tx, batch)
    if (changes.length === 0) return 0
    const subscriptions = await activeSubscriptions(tx)
    const docs = new Map<string, { owner: string | null; data?: Record<string, unknown> }>()
    for (const kind of new Set(changes.map((c) => c.kind))) {
      const found = await liveDocuments(tx, kind as ChangeKind, changes.filter((c) => c.kind === kind).map((c) => c.id))
      for (const [id, doc] of found) docs.set(`${kind}:${id}`, doc)
    }
    const rows = changes.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq))).flatMap((c) => {
      const doc = docs.get(`${c.kind}:${c.id}`)
      const payload = { event: c.event, kind: c.kind, id: c.id, occurred_at: c.occurred_at, data: c.event.endsWith('.deleted') ? null : doc?.data ?? null }
      return subscriptions
        .filter((s) => s.events.includes(c.event) && (s.organisation_id === null || s.organisation_id === doc?.owner))
        .map((s) => ({ subscriptionId: s.id, event: c.event, kind: c.kind, resourceId: c.id, payload }))
    })
    await insertDeliveries(tx, rows)
    return changes.length
  })
}

/** Sends due deliveries (up to `batch`, at once); returns how many it tried. */
export async function deliverDue(db: Db, settings: DispatchSettings, batch = 20): Promise<number> {
  const due = await claimDue(db, batch, Math.ceil(settings.timeoutMs / 1000) + 30)
  await Promise.all(due.map(async (d) => {
    const outcome = await send(d, settings)
    if (outcome.ok) await markDelivered(db, d.id, outcome.statusCode)
    else await markFailed(db, d.id, outcome, backoffMs(d.attempts, settings.retryBaseMs, settings.retryMaxMs), settings.disableAfter)
  }))
  return due.length
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string }

/** One POST, to the address that was checked, without following redirects; 2xx is delivered. */
async function send(d: DueDelivery, settings: DispatchSettings): Promise<Outcome> {
  const target = await webhookTarget(d.url, settings.allowPrivate)
  if (!target.ok) return { ok: false, statusCode: null, error: `not sent: the URL ${target.reason}` }
  // The delivery's id travels in the body so that a receiver can drop a repeat.
  const body = JSON.stringify({ delivery_id: d.id, ...JSON.parse(d.payload) })
  const now = Math.floor((settings.now?.() ?? new Date()).getTime() / 1000)
  const client = target.url.protocol === 'https:' ? https : http
  return new Promise<Outcome>((resolve) => {
    const req = client.request(target.url, {
      method: 'POST',
      // the checked address, whatever the name resolves to by now
      lookup: (_host, _opts, cb: any) => (_opts as any)?.all ? cb(null, [{ address: target.address, family: target.family }]) : cb(null, target.address, target.family),
      headers: {
        'content-type': 'application/json', 'user-agent': 'Signpost-Webhooks/1',
        [SIGNATURE_HEADER]: signature(d.secret, now, body), 'signpost-event': d.event, 'signpost-delivery': d.id,
      },
      timeout: settings.timeoutMs,
    }, (res) => {
      res.resume()
      const code = res.statusCode ?? 0
      res.on('end', () => resolve(code >= 200 && code < 300 ? { ok: true, statusCode: code } : { ok: false, statusCode: code, error: `answered ${code}` }))
      res.on('error', (e) => resolve({ ok: false, statusCode: code, error: e.message }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)))
    req.on('error', (e) => resolve({ ok: false, statusCode: null, error: e.message }))
    req.end(body)
  })
}
