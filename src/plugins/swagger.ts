import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

import { API_VERSION } from '../domain/about.ts'
import { declareResponseHeaders } from './openapi-headers.ts'


const SUCCESS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' }

/**
 * Route schemas declare one response schema per status; @fastify/swagger lists each under
 * application/json. Error responses are served as application/problem+json (the one error
 * plugin), so the document says so here, in one place, and success responses get a
 * description instead of "Default Response".
 */
export function problemContentTypes(doc: any): any {
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const op of Object.values<any>(item)) {
      if (op?.responses && /^\/(v1|oruk)(\/|$)/.test(path)) addCrossCuttingProblems(op.responses)
      for (const [status, response] of Object.entries<any>(op?.responses ?? {})) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          const { 'application/json': media, ...rest } = response.content
          response.content = { 'application/problem+json': media, ...rest }
        }
        if (response.description === 'Default Response' && SUCCESS_TEXT[status]) response.description = SUCCESS_TEXT[status]
      }
    }
  }
  return doc
}

/**
 * Answers that any /v1 or /oruk operation can give, whatever its route declares: 401 for a
 * key that is sent but not valid (or no key when READS_REQUIRE_KEY is on), 429 from the rate
 * limiter, 503 when the database or the process is unavailable.
 */
const CROSS_CUTTING: Record<string, string> = {
  401: 'The API key sent is not valid (or a key is required for reads on this deployment)',
  429: 'Rate limit reached; see Retry-After',
  503: 'Database unavailable or service overloaded; see Retry-After',
}
function addCrossCuttingProblems(responses: Record<string, any>) {
  for (const [status, description] of Object.entries(CROSS_CUTTING)) {
    responses[status] ??= { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
  }
}

/** The top of /docs: what Signpost is, the first request, a key, the vocabularies and the guides. */
const QUICK_START = `The national directory of local **social prescribing** schemes in the UK: walking groups, choirs, men's sheds, befriending,
food banks, debt and housing advice. Link workers and PCN systems search it by place, time and access needs; charities keep their own
schemes up to date.

## Quick start

1. **Ask the link worker's question.** Open *search* → \`GET /v1/schemes\` below, press *Try it out*, clear the fields you do not want and
   *Execute*; or open
   [the same question](/v1/schemes?postcode=SE15%204&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness) here.
   Reads need no key. Each item has the scheme, its nearest matching venue and distance, the matching sessions and their next dates (UK time).
2. **Get a key to write.** An administrator starts Signpost with \`ADMIN_API_KEY\` set (or runs \`npm run keys:create -- --role admin\`), then
   makes a key for each charity with \`POST /v1/keys\` (\`role: publisher\` and its \`organisation_id\`). Press *Authorize* above and paste the
   key. The write examples below name records of the demo directory, so with an admin key every *Try it out* works as it stands
   (\`If-Match: *\` in the examples skips the check for a concurrent change: a client sends the \`ETag\` it read).
3. **Use the codes.** Categories, needs, audiences, access needs, delivery modes, days and periods are codes:
   [\`GET /v1/vocabularies\`](/v1/vocabularies) lists each with its label (and, for access and delivery, what it promises).

**Guides:** [searching](/docs/guides/search) · [registering schemes](/docs/guides/writing) · [bulk import and export](/docs/guides/import) ·
[Open Referral UK feed](/docs/guides/oruk) · [security](/docs/guides/security) · [operations](/docs/guides/operations) ·
[all guides](/docs/guides). The [Open Referral UK 3.0 feed](/oruk) serves the same directory in that standard.

Errors are RFC 9457 \`application/problem+json\` naming every bad field. Writes need \`Authorization: Bearer <key>\`.

`

/** The sign in the top bar of /docs, and its favicon. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40" role="img" aria-label="Signpost">
<rect x="6" y="4" width="4" height="34" fill="#ffffff"/><path d="M12 8h22l6 6-6 6H12z" fill="#ffffff"/><path d="M8 22h-6l-4 5 4 5h6z" fill="#ffffff" transform="translate(4 0)"/>
<text x="48" y="28" font-family="Arial, sans-serif" font-size="22" font-weight="700" fill="#ffffff">Signpost</text></svg>`

/** OpenAPI 3.1 generated from the route schemas; components are the schemas' $ids. */
export default fp(async function swaggerPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Signpost',
        version: API_VERSION,
        description: QUICK_START +
          'Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data © Royal Mail copyright and database right 2025. ' +
          'Contains National Statistics data © Crown copyright and database right 2025.',
        license: { name: 'Open Government Licence v3.0 (postcode data)', url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/' },
      },
      // Where the document is served from: a deployment's own origin (the default is `npm start`'s).
      servers: [{ url: '{origin}', description: 'This deployment',
        variables: { origin: { default: 'http://localhost:3000', description: 'The scheme, host and port the API is served at' } } }],
      tags: [
        { name: 'search', description: 'Find schemes near a person' },
        { name: 'schemes', description: 'Register and maintain schemes' },
        { name: 'venues', description: 'Where schemes meet' },
        { name: 'organisations', description: 'Charities and community groups' },
        { name: 'keys', description: 'API keys (admin)' },
        { name: 'reference', description: 'Vocabularies and data' },
        { name: 'oruk', description: 'Open Referral UK 3.0 feed' },
        { name: 'feeds', description: 'Change feeds (RPDE 1.0) and webhooks: what changed since you last looked' },
        { name: 'freshness', description: 'Keeping the directory true: reports from the public, schemes due for confirmation (docs/freshness.md)' },
        { name: 'openactive', description: 'OpenActive open data: the dataset site and RPDE feeds of the physical activities' },
        { name: 'insights', description: 'Demand and coverage figures for commissioners' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /v1/keys or npm run keys:create' } },
      },
    },
    transformObject: ({ openapiObject }: any) => declareResponseHeaders(problemContentTypes(openapiObject)),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}`,
    },
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, tryItOutEnabled: true },
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO_SVG), href: '/docs', target: '_self' },
    theme: {
      title: 'Signpost API: documentation',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(LOGO_SVG) }],
      css: [{ filename: 'signpost.css', content: '.swagger-ui .topbar { background-color: #005eb8; }' }],
    },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
