import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf, requireRole } from '../plugins/auth.ts'
import { changeWebhook, createWebhook, getWebhook, listWebhooks, removeWebhook, webhookDeliveries } from '../feeds/webhooks/subscriptions.ts'
import { decodeCursor, keysetPage } from '../http/cursor.ts'
import { idParams, ListQuery, readProblems, secured, writeProblems } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

const WebhookId = idParams('webhook subscription\'s', DEMO_EXAMPLES.webhookId)
const owners = requireRole('admin', 'publisher')

/** Webhook subscriptions and their delivery logs (docs/feeds.md, "Webhooks"). */
const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const allowPrivate = app.config.WEBHOOK_ALLOW_PRIVATE

  app.post('/webhooks', {
    onRequest: owners,
    schema: {
      operationId: 'createWebhook', tags: ['feeds'], security: secured,
      summary: 'Subscribe to changes (admin, or a publisher for its organisation)',
      description: 'Each change of the events named is POSTed to the URL at least once, in change order for each resource, signed with the ' +
        'secret answered here (and only here): see docs/feeds.md for the body, the Signpost-Signature header and how to check it. ' +
        'The URL must be https:// on the public internet: one that resolves to a private, loopback or link-local address is refused.',
      body: Type.Ref('WebhookWrite'),
      response: { 201: Type.Ref('WebhookCreated'), ...writeProblems(422) },
    },
  }, async (request, reply) => {
    const created = await createWebhook(app.db, actorOf(request), request.body as any, allowPrivate)
    return reply.code(201).header('location', `/v1/webhooks/${created.id}`).send(created)
  })

  app.get('/webhooks', {
    onRequest: owners,
    schema: {
      operationId: 'listWebhooks', tags: ['feeds'], security: secured,
      summary: 'List webhook subscriptions',
      description: 'A publisher sees its organisation\'s; an admin sees all. By id; pass next_cursor back as cursor.',
      querystring: ListQuery,
      response: { 200: Type.Ref('WebhookPage'), ...readProblems(403) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20
    const after = decodeCursor(request.query.cursor, ['uuid'])
    return keysetPage(await listWebhooks(app.db, actorOf(request), limit, after?.[0] ?? null), limit, (w) => [w.id])
  })

  app.get('/webhooks/:id', {
    onRequest: owners,
    schema: {
      operationId: 'getWebhook', tags: ['feeds'], security: secured,
      summary: 'Get a webhook subscription', description: 'Without its secret, which is shown only when it is made.',
      params: WebhookId,
      response: { 200: Type.Ref('Webhook'), ...readProblems(403, 404) },
    },
  }, async (request) => getWebhook(app.db, actorOf(request), request.params.id))

  app.patch('/webhooks/:id', {
    onRequest: owners,
    schema: {
      operationId: 'updateWebhook', tags: ['feeds'], security: secured,
      summary: 'Change a webhook subscription, or turn it off or on',
      description: 'active: true turns on again a subscription that was turned off, by its owner or after repeated failures; the changes ' +
        'not yet delivered then follow, in order.',
      params: WebhookId,
      body: Type.Ref('WebhookPatch'),
      response: { 200: Type.Ref('Webhook'), ...writeProblems(404) },
    },
  }, async (request) => changeWebhook(app.db, actorOf(request), request.params.id, request.body as any, allowPrivate))

  app.delete('/webhooks/:id', {
    onRequest: owners,
    schema: {
      operationId: 'deleteWebhook', tags: ['feeds'], security: secured,
      summary: 'Delete a webhook subscription', description: 'Nothing more is sent to it; its delivery log goes with it.',
      params: WebhookId,
      response: { 204: Type.Null({ description: 'Deleted' }), ...writeProblems(404) },
    },
  }, async (request, reply) => {
    await removeWebhook(app.db, actorOf(request), request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/webhooks/:id/deliveries', {
    onRequest: owners,
    schema: {
      operationId: 'listWebhookDeliveries', tags: ['feeds'], security: secured,
      summary: 'A webhook subscription\'s delivery log',
      description: 'Newest first: each delivery\'s event, status, attempts, the receiver\'s last answer or error, and when it is tried next.',
      params: WebhookId,
      querystring: ListQuery,
      response: { 200: Type.Ref('WebhookDeliveryPage'), ...readProblems(403, 404) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20
    const before = decodeCursor(request.query.cursor, ['int'])
    const rows = await webhookDeliveries(app.db, actorOf(request), request.params.id, limit, before ? String(before[0]) : null)
    return keysetPage(rows, limit, (d) => [Number(d.id)])
  })
}

export default webhookRoutes
