import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme } from '../fixtures/api.ts'
import { noneMatchHits } from '../../src/http/etag.ts'

t.test('If-None-Match: weak comparison, lists and *', async (t) => {
  t.ok(noneMatchHits('"3"', '"3"'))
  t.ok(noneMatchHits('W/"3"', '"3"'), 'weak matches strong')
  t.ok(noneMatchHits('"1", W/"3"', '"3"'), 'any of a list')
  t.ok(noneMatchHits('*', '"3"'))
  t.notOk(noneMatchHits('"4"', '"3"'))
  t.notOk(noneMatchHits('3', '"3"'), 'quotes are part of the tag')
  t.notOk(noneMatchHits(undefined, '"3"'))
})

t.test('a GET whose ETag the client has is a 304 with no body (schemes, venues, organisations, lists, searches)', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  // bad input, before: If-None-Match was ignored and the whole body sent again
  const urls = [`/v1/schemes/${scheme.id}`, `/v1/venues/${scheme.sessions[0].venue_id}`, `/v1/organisations/${organisation.id}`, '/v1/schemes?q=Test', '/v1/organisations', `/v1/schemes/${scheme.id}/history`]
  for (const url of urls) {
    const first = await call(app, 'GET', url)
    t.equal(first.statusCode, 200, url)
    const etag = first.headers.etag as string
    t.ok(etag, `${url}: an ETag`)
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await call(app, 'GET', url, { headers: { 'if-none-match': inm } })
      t.equal(again.statusCode, 304, `${url} If-None-Match: ${inm}`)
      t.equal(again.body, '', 'no body')
      t.equal(again.headers.etag, etag, 'the ETag again')
      t.notOk(again.headers['content-type'], 'no content type')
    }
    const changed = await call(app, 'GET', url, { headers: { 'if-none-match': '"nope"' } })
    t.equal(changed.statusCode, 200, `${url}: another tag gets the body`)
    t.same(changed.json(), first.json())
  }
  const patched = await call(app, 'PATCH', `/v1/schemes/${scheme.id}`, { key, body: { name: 'Renamed walk' }, headers: { 'if-match': '"1"' } })
  t.equal(patched.statusCode, 200)
  const after = await call(app, 'GET', `/v1/schemes/${scheme.id}`, { headers: { 'if-none-match': '"1"' } })
  t.equal(after.statusCode, 200, 'a changed resource is sent again')
  t.equal(after.headers.etag, '"2"')
})
