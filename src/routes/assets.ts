import { join } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'
import { frontendCss, NHSUK_DIST, NHSUK_VERSION } from '../pages/render.ts'

/**
 * nhsuk-frontend's compiled JS and its images, straight from node_modules, for the search
 * pages; its CSS as src/pages/render.ts serves it (without the third-party font). Only
 * those files: the package's sources, templates and maps are not served.
 */
const SERVED = /^\/(nhsuk-frontend-\d+\.\d+\.\d+\.min\.js|manifest\.json|images\/[a-z0-9-]+\.(svg|png|ico))$/

const assetRoutes: FastifyPluginAsync = async (app) => {
  const css = frontendCss()
  app.get(`/nhsuk-frontend-${NHSUK_VERSION}.min.css`, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(css))

  await app.register(fastifyStatic, {
    root: [join(NHSUK_DIST, 'nhsuk'), join(NHSUK_DIST, 'nhsuk', 'assets')],
    prefix: '/',
    allowedPath: (path) => SERVED.test(path),
    // swagger-ui registers the reply decorators already
    decorateReply: false,
    index: false,
    maxAge: '1d',
  })
}

export default assetRoutes
