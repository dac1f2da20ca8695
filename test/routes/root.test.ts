import t from 'tap'
import { build } from '../helper.ts'

t.test('the API root links the docs and carries the data attributions', async (t) => {
  const { app } = await build(t)
  const r = await app.inject('/')
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.equal(body.name, 'Signpost')
  t.equal(body.links.docs, '/docs')
  t.ok(body.attribution.some((a: string) => a.includes('Contains OS data © Crown copyright and database right 2025.')))
  t.ok(body.attribution.some((a: string) => a.includes('Royal Mail')))
  t.ok(body.attribution.some((a: string) => a.includes('National Statistics')))
  t.ok(body.attribution.some((a: string) => a.includes('Give Food')))
  t.equal((await app.inject(body.links.openapi)).statusCode, 200)
})

t.test('content negotiation: a browser gets the search page, every other client the JSON', async (t) => {
  const { app } = await build(t)
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'
  const cases: Array<[string | undefined, 'html' | 'json']> = [
    [undefined, 'json'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    ['text/html, application/json', 'json'],
    ['application/json, text/html;q=0.9', 'json'],
    ['text/html;q=0, */*', 'json'],
    ['application/problem+json', 'json'],
    ['text/html', 'html'],
    [browser, 'html'],
    ['text/html, application/json;q=0.5', 'html'],
    ['application/xhtml+xml', 'html'],
  ]
  for (const [accept, want] of cases) {
    const res = await app.inject({ url: '/', headers: accept === undefined ? {} : { accept } })
    t.equal(res.statusCode, 200, String(accept))
    t.equal(res.headers.vary, 'accept', `${accept}: Vary: Accept, so that caches keep the two apart`)
    if (want === 'json') {
      t.match(res.headers['content-type'], /^application\/json/, `${accept}: JSON`)
      t.equal(res.json().name, 'Signpost')
    } else {
      t.match(res.headers['content-type'], /^text\/html; charset=utf-8/, `${accept}: HTML`)
      t.match(res.body, /<h1>Find local groups and support<\/h1>/)
      t.match(res.body, /<form method="get" action="\/find"/)
    }
  }
})
