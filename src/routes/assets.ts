import { join } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'
import { NHSUK_DIST } from '../pages/render.ts'

/**
 * nhsuk-frontend's compiled CSS and JS and its images, straight from node_modules, for the
 * search pages. Only those files: the package's sources, templates and maps are not served.
 */
const SERVED = /^\/(nhsuk-frontend-\d+\.\d+\.\d+\.min\.(css|js)|manifest\.json|images\/[a-z0-9-]+\.(svg|png|ico))$/

const assetRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: [join(NHSUK_DIST, 'nhsuk'), join(NHSUK_DIST, 'nhsuk', 'assets')],
    prefix: '/',
    allowedPath: (path) => SERVED.test(path),
    // swagger-ui registers the reply decorators already
    decorateReply: false,
    index: false,
    // the CSS and JS file names carry the package's version
    maxAge: '1d',
  })
}

export default assetRoutes
