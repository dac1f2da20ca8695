import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AppError } from '../errors.ts'
import { validationItems } from '../plugins/errors.ts'
import { PAGE_HELMET } from '../plugins/limits.ts'
import { idParams } from '../http/openapi.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'
import { findSchemes, schemeForPage } from '../pages/find.ts'
import { errorPage, resultsPage, schemePage, searchFormPage } from '../pages/pages.ts'
import { isSubmitted, searchQueryOf } from '../pages/search-form.ts'
import { SearchQuery } from '../schemas/search.ts'

/**
 * The search pages for people, under /find: the form and its results, and a page per
 * scheme. They read the API's own search and scheme repository (src/pages/find.ts).
 * Errors here are pages too: a person gets the form back with an error summary, or a
 * "page not found", never problem+json (which the API's clients get from the one error
 * plugin). GET / serves the same form to a browser (src/routes/root.ts).
 */

export const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8')
export const nonceOf = (reply: FastifyReply) => reply.cspNonce?.script ?? ''

/** The query as the browser sent it, before the search's validation coerced it: the text that links carry. */
function sentQuery(request: FastifyRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const i = request.url.indexOf('?')
  for (const [k, v] of new URLSearchParams(i < 0 ? '' : request.url.slice(i + 1))) (out[k] ??= []).push(v)
  return out
}

const pageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // With READS_REQUIRE_KEY the directory is not open to read: no pages (a browser cannot send a key).
  if (app.config.READS_REQUIRE_KEY) return
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err instanceof AppError ? err.status : err.validation ? 400 : err.statusCode ?? 500
    if (err instanceof AppError) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
    if (status >= 500 && status !== 503) request.log.error({ err }, 'unexpected error')
    else request.log.info({ status }, 'page refused')
    // A query the input rules refuse (a control character) on the search: the form, with what was wrong.
    if (status === 400 && request.routeOptions.url === '/find' && err instanceof AppError && err.errors) {
      return html(reply.code(400)).send(searchFormPage(nonceOf(reply), {}, err.errors))
    }
    // A scheme page's id that is not a UUID is a page that does not exist.
    const shown = status === 400 && request.routeOptions.url !== '/find' ? 404 : status
    return html(reply.code(shown)).send(errorPage(nonceOf(reply), shown))
  })

  app.get('/', {
    helmet: PAGE_HELMET,
    // The search's own parameters, checked by the search's own schema; the browser's
    // spelling (a name repeated per ticked box, empty fields) is made the search's first.
    preValidation: async (request) => {
      request.query = searchQueryOf(request.query as Record<string, unknown>) as typeof request.query
    },
    attachValidation: true,
    schema: { hide: true, querystring: SearchQuery },
  }, async (request, reply) => {
    const sent = sentQuery(request)
    html(reply).header('cache-control', 'no-store')
    if (!isSubmitted(sent)) return searchFormPage(nonceOf(reply))
    const q = searchQueryOf(sent)
    const schemaErrors = request.validationError ? validationItems((request.validationError as any).validation ?? [], 'querystring') : []
    const found = await findSchemes(app.db.reader, request.query, app.clock(), schemaErrors, app.config.SEARCH_SUGGESTIONS)
    if (!found.ok) {
      reply.code(found.status)
      return searchFormPage(nonceOf(reply), q, found.errors, found.postcode)
    }
    return resultsPage(nonceOf(reply), q, found.page)
  })

  app.get('/schemes/:id', {
    helmet: PAGE_HELMET,
    schema: {
      hide: true,
      params: idParams('scheme\'s', DEMO_EXAMPLES.schemeId),
      // the search to go back to: it holds the postcode, so it is never logged (src/logging.ts)
      querystring: Type.Object({ back: Type.Optional(Type.String({ maxLength: 4000 })) }),
    },
  }, async (request, reply) => {
    const found = await schemeForPage(app.db, request.params.id, app.clock())
    html(reply).header('cache-control', 'no-store')
    return schemePage(nonceOf(reply), found, request.query.back)
  })

  // Any other page under /find: "page not found", as a page (a route rather than a
  // not-found handler, so that it has the pages' CSP and its nonce).
  app.get('/*', { helmet: PAGE_HELMET, schema: { hide: true } }, async (_request, reply) =>
    html(reply.code(404)).send(errorPage(nonceOf(reply), 404)))
}

export default pageRoutes
