/**
 * The guides under /docs/guides and the branded /docs page: a newcomer's first hour.
 */
import t from 'tap'
import { build } from '../helper.ts'
import { GUIDES } from '../../src/docs/guides.ts'

t.test('the guides are served as HTML pages, each linked from the index', async (t) => {
  const { app } = await build(t)
  const index = await app.inject('/docs/guides')
  t.equal(index.statusCode, 200)
  t.match(index.headers['content-type'], /text\/html/)
  for (const [name, title] of GUIDES) {
    t.ok(index.body.includes(`href="/docs/guides/${name}"`), `the index links ${name}`)
    const page = await app.inject(`/docs/guides/${name}`)
    t.equal(page.statusCode, 200, name)
    t.match(page.body, /<h1[^>]*>/, `${name}: a heading`)
    t.ok(page.body.includes(`<title>${title.replace(/&/g, '&#38;')}`), `${name}: titled`)
  }
  t.match((await app.inject('/docs/guides/search')).body, /<h2[^>]*>Nights<\/h2>/, 'the search guide is the rendered docs/search.md')
  // names that are not guides, including attempts at other files: a 404 problem, never a file
  for (const bad of ['README', 'nope', '..%2Fpackage.json', '%2E%2E%2FREADME', 'search.md', 'SEARCH']) {
    const res = await app.inject(`/docs/guides/${bad}`)
    t.equal(res.statusCode, 404, bad)
    t.match(res.headers['content-type'], /problem\+json/, `${bad}: problem+json`)
  }
})

t.test('/docs is titled and branded Signpost, with a quick start that links the guides and the vocabularies', async (t) => {
  const { app } = await build(t)
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.body, /<title>Signpost API: documentation<\/title>/, 'titled')
  t.notMatch(page.body, /<title>Swagger UI<\/title>/)
  const script = (await app.inject('/docs/static/swagger-initializer.js')).body
  const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(script)?.[1]
  t.ok(logo, 'the top bar\'s logo is replaced')
  t.match(Buffer.from(logo ?? '', 'base64').toString(), /aria-label="Signpost"/, 'by the Signpost sign')
  const favicon = await app.inject('/docs/static/theme/favicon.svg')
  t.equal(favicon.statusCode, 200, 'and the favicon')
  const description = (app.swagger() as any).info.description as string
  t.match(description, /## Quick start/)
  for (const link of ['/v1/vocabularies', '/docs/guides/search', '/docs/guides/writing', '/docs/guides']) {
    t.ok(description.includes(`(${link})`), `links ${link}`)
    t.equal((await app.inject(link)).statusCode, 200, `${link} is there`)
  }
  t.match(description, /POST \/v1\/keys/, 'says how to get a key')
})
