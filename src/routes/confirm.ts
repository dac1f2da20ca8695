import type { FastifyError } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AppError } from '../errors.ts'
import { PAGE_HELMET } from '../plugins/limits.ts'
import { textProblem } from '../domain/text-rules.ts'
import { schemeForPage } from '../pages/find.ts'
import { confirmPage, outcomePage } from '../pages/confirm.ts'
import { errorPage } from '../pages/pages.ts'
import { tokenState, useToken } from '../repositories/confirmations.ts'
import { TOKEN_PATTERN } from '../freshness/tokens.ts'
import { html, nonceOf } from './pages.ts'

/**
 * One-click confirmation, /confirm/{token} (docs/freshness.md): pages for the person who got a
 * reminder, no API key (the token is the authority: docs/security.md). GET shows the scheme as
 * the public sees it and asks; POST answers. A token that is not well formed is treated as
 * unknown: the page says so and nothing changes.
 */
const Token = Type.Object({ token: Type.String({ maxLength: 100 }) }, { additionalProperties: false })
const Answer = Type.Object({ answer: Type.Union([Type.Literal('confirmed'), Type.Literal('changes'), Type.Literal('ended')]) })
const wellFormed = (token: string) => new RegExp(TOKEN_PATTERN).test(token)

const confirmRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The buttons post an HTML form; only these routes read one.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => {
    const fields = Object.fromEntries(new URLSearchParams(body as string))
    const bad = Object.entries(fields).some(([k, v]) => textProblem(k) || textProblem(v))
    done(bad ? new AppError(400, 'Bad request', 'The form holds characters it cannot.') : null, fields)
  })
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err instanceof AppError ? err.status : err.validation ? 400 : err.statusCode ?? 500
    if (status >= 500 && status !== 503) request.log.error({ err }, 'unexpected error')
    return html(reply.code(status)).send(errorPage(nonceOf(reply), status))
  })

  app.get('/:token', { helmet: PAGE_HELMET, schema: { hide: true, params: Token } }, async (request, reply) => {
    const { token } = request.params
    html(reply).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
    const found = wellFormed(token) ? await tokenState(app.db, token, app.clock()) : { state: 'unknown' as const }
    if (found.state !== 'valid') return reply.code(found.state === 'unknown' ? 404 : 410).send(outcomePage(nonceOf(reply), found.state))
    return confirmPage(nonceOf(reply), await schemeForPage(app.db, found.schemeId, app.clock()), request.url)
  })

  app.post('/:token', { helmet: PAGE_HELMET, schema: { hide: true, params: Token, body: Answer } }, async (request, reply) => {
    const { token } = request.params
    const now = app.clock()
    html(reply).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
    if (!wellFormed(token)) return reply.code(404).send(outcomePage(nonceOf(reply), 'unknown'))
    const { answer } = request.body
    if (answer === 'changes') {
      const found = await tokenState(app.db, token, now)
      if (found.state !== 'valid') return reply.code(found.state === 'unknown' ? 404 : 410).send(outcomePage(nonceOf(reply), found.state))
      return confirmPage(nonceOf(reply), await schemeForPage(app.db, found.schemeId, now), request.url, true)
    }
    const used = await useToken(app.db, token, answer, now)
    if (used.state !== 'valid') return reply.code(used.state === 'unknown' ? 404 : 410).send(outcomePage(nonceOf(reply), used.state))
    request.log.info({ scheme: used.schemeId, answer }, 'confirmation link used')
    return outcomePage(nonceOf(reply), answer)
  })
}

export default confirmRoutes
