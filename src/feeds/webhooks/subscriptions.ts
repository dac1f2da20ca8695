import type { Db } from '../../db/client.ts'
import type { Actor } from '../../domain/access.ts'
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../errors.ts'
import { organisationExists } from '../../repositories/organisations.ts'
import {
  deleteSubscription, findSubscription, insertSubscription, listDeliveries, listSubscriptions, updateSubscription,
  type Delivery, type Subscription,
} from '../../repositories/webhooks.ts'
import { webhookTarget } from './address.ts'
import { newSecret } from './signature.ts'

/**
 * Webhook subscriptions: a publisher's for its own organisation, an admin's for one or all.
 * A URL is checked when written and again at each delivery (src/feeds/webhooks/address.ts): a
 * name that does not resolve yet is accepted, one that reaches a private address is not.
 */

/** The organisation whose subscriptions an actor sees: its own, or null (all) for an admin. */
const scopeOf = (actor: Actor): string | null => actor.role === 'admin' ? null : actor.organisationId

async function checkUrl(url: string, allowPrivate: boolean): Promise<void> {
  const target = await webhookTarget(url, allowPrivate)
  if (!target.ok && !target.reason.startsWith('names a host that does not resolve')) {
    throw new ValidationError([{ pointer: '/url', message: target.reason }])
  }
}

export async function createWebhook(db: Db, actor: Actor, body: { url: string; events: string[]; organisation_id?: string }, allowPrivate: boolean):
  Promise<Subscription & { secret: string }> {
  let organisationId = body.organisation_id ?? null
  if (actor.role === 'publisher') {
    if (organisationId !== null && organisationId !== actor.organisationId) {
      throw new ForbiddenError('A publisher key may subscribe only to its own organisation\'s changes.')
    }
    organisationId = actor.organisationId
  }
  await checkUrl(body.url, allowPrivate)
  if (organisationId !== null && !await organisationExists(db, organisationId)) {
    throw new UnprocessableError(`No organisation ${organisationId}.`, [{ pointer: '/organisation_id', message: 'names no organisation' }])
  }
  const secret = newSecret()
  const created = await insertSubscription(db, { url: body.url, events: body.events, organisationId, secret, createdBy: actor.keyId })
  return { ...created, secret }
}

export async function getWebhook(db: Db, actor: Actor, id: string): Promise<Subscription> {
  const found = await findSubscription(db, id, scopeOf(actor))
  if (!found) throw new NotFoundError(`No webhook subscription ${id} of yours.`)
  return found
}

export async function listWebhooks(db: Db, actor: Actor, limit: number, afterId: string | null): Promise<Subscription[]> {
  return listSubscriptions(db, scopeOf(actor), limit, afterId)
}

export async function changeWebhook(db: Db, actor: Actor, id: string, change: { url?: string; events?: string[]; active?: boolean }, allowPrivate: boolean): Promise<Subscription> {
  if (change.url !== undefined) await checkUrl(change.url, allowPrivate)
  const updated = await updateSubscription(db, id, scopeOf(actor), change)
  if (!updated) throw new NotFoundError(`No webhook subscription ${id} of yours.`)
  return updated
}

export async function removeWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  if (!await deleteSubscription(db, id, scopeOf(actor))) throw new NotFoundError(`No webhook subscription ${id} of yours.`)
}

export async function webhookDeliveries(db: Db, actor: Actor, id: string, limit: number, beforeId: string | null): Promise<Delivery[]> {
  await getWebhook(db, actor, id)
  return listDeliveries(db, id, limit, beforeId)
}
