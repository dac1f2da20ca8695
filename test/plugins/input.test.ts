import t from 'tap'
import { build } from '../helper.ts'
import { call, checksum, createOrganisation, createScheme, createVenue, schemeBody, venueBody, weekly } from '../fixtures/api.ts'
import { MAX_JSON_DEPTH } from '../../src/domain/text-rules.ts'

// The probes of issue 12 that found 500s and silent acceptance: every one must now be a 4xx
// problem+json naming what is wrong, and write nothing.

const isProblem = (t: any, r: any, status: number) => {
  t.equal(r.statusCode, status, r.body.slice(0, 300))
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  t.equal(r.json().status, status)
}
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

t.test('deep nesting is refused as the body is parsed, on POST, PUT and PATCH, JSON and merge patch', async (t) => {
  const { app } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const scheme = await createScheme(app, key)
  const venue = await createVenue(app, key)
  const before = await checksum(app)
  // bad inputs: {"name": [[[…]]]} 3,000 and 5,000 deep (6–10 KB) overflowed the stack of the walks after parsing
  for (const depth of [3000, 5000, MAX_JSON_DEPTH + 1]) {
    const body = `{"name":${nested(depth)}}`
    const requests: Array<[any, string, string, string]> = [
      ['POST', '/v1/organisations', admin, 'application/json'],
      ['POST', '/v1/schemes', key, 'application/json'],
      ['PUT', `/v1/schemes/${scheme.id}`, key, 'application/json'],
      ['PATCH', `/v1/schemes/${scheme.id}`, key, 'application/merge-patch+json'],
      ['PATCH', `/v1/venues/${venue.id}`, key, 'application/json'],
      ['PATCH', `/v1/organisations/${organisation.id}`, key, 'application/merge-patch+json'],
      ['POST', '/v1/keys', admin, 'application/json'],
    ]
    for (const [method, url, k, type] of requests) {
      const r = await call(app, method, url, { key: k, body, headers: { 'content-type': type, 'if-match': '"1"', 'idempotency-key': `deep-${depth}-${url}` } })
      isProblem(t, r, 400)
      t.same(r.json().errors, [{ pointer: '', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }], `${method} ${url} ${type}, ${depth} deep`)
    }
  }
  t.equal(await checksum(app), before, 'nothing was written')
  // at the limit, the body is read and judged on its merits; brackets inside strings do not count
  const atLimit = await call(app, 'POST', '/v1/organisations', { key: admin, body: `{"name":${nested(MAX_JSON_DEPTH - 1)}}` })
  isProblem(t, atLimit, 400)
  t.same(atLimit.json().errors.map((e: any) => e.pointer), ['/name'], 'at the limit: the usual shape problem')
  const text = await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: 'Brackets ' + '[{'.repeat(80) } })
  t.equal(text.statusCode, 201, 'brackets in a string are text')
})

t.test('a lone surrogate or a NUL in any body string is a 400 naming its pointer, never a 500 or U+FFFD', async (t) => {
  const { app } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const before = await checksum(app)
  // bad inputs: "\ud800" (JSON.parse makes it a lone surrogate: PostgreSQL 22P02, or stored as U+FFFD), "\udc00", "\u0000"
  for (const bad of ['x\\ud800', '\\udc00y', 'a\\ud800\\ud800', 'n\\u0000ul']) {
    const message = bad.includes('u0000') ? /NUL/ : /lone UTF-16 surrogate/
    const cases: Array<[any, string, string, string, string]> = [
      ['POST', '/v1/organisations', admin, `{"name":"${bad}"}`, '/name'],
      ['POST', '/v1/organisations', admin, `{"name":"ok","description":"${bad}"}`, '/description'],
      ['POST', '/v1/schemes', key, JSON.stringify(schemeBody({ sessions: [weekly(venue.id)] })).replace(/"name":"[^"]*"/, `"name":"${bad}"`), '/name'],
      ['POST', '/v1/schemes', key, JSON.stringify(schemeBody({ sessions: [weekly(venue.id, { notes: 'NOTES' })] })).replace('NOTES', bad), '/sessions/0/notes'],
      ['POST', '/v1/venues', key, JSON.stringify(venueBody()).replace(/"name":"[^"]*"/, `"name":"${bad}"`), '/name'],
      ['POST', '/v1/keys', admin, `{"role":"admin","label":"${bad}"}`, '/label'],
      ['PATCH', `/v1/organisations/${organisation.id}`, key, `{"description":"${bad}"}`, '/description'],
      ['POST', '/v1/organisations', admin, `{"name":"ok","${bad}":1}`, `/${bad.includes('u0000') ? 'n\ufffdul' : JSON.parse(`"${bad}"`).replace(/[\ud800-\udfff]/g, '\ufffd')}`],
    ]
    for (const [method, url, k, body, pointer] of cases) {
      const r = await call(app, method, url, { key: k, body, headers: { 'if-match': '"1"' } })
      isProblem(t, r, 400)
      t.equal(r.json().errors.length, 1, `${url} ${body.slice(0, 40)}`)
      t.match(r.json().errors[0], { pointer, message }, `${method} ${url}: names ${pointer}`)
    }
  }
  t.equal(await checksum(app), before, 'nothing was written')
  const pair = await call(app, 'POST', '/v1/organisations', { key: admin, body: '{"name":"Emoji \\ud83d\\ude00 club"}' })
  t.equal(pair.statusCode, 201, 'a surrogate pair is a character')
  t.equal(pair.json().name, 'Emoji 😀 club')
})

t.test('NUL or a lone surrogate in a query or path parameter is a 400 naming it, with or without a key', async (t) => {
  const { app } = await build(t)
  // bad inputs: the ORUK search probes (PostgreSQL 22021 without any key), and the same elsewhere
  const cases: Array<[string, string]> = [
    ['/oruk/services?search=%00', 'search'],
    ['/oruk/service_at_locations?search=a%00', 'search'],
    ['/v1/schemes?q=%00', 'q'],
    ['/v1/schemes?q=ok&postcode=SE15%00', 'postcode'],
    ['/v1/organisations?cursor=%00', 'cursor'],
    ['/v1/schemes/%00', 'id'],
    ['/oruk/services/a%00b', 'id'],
  ]
  for (const [url, parameter] of cases) {
    const r = await app.inject(url)
    isProblem(t, r, 400)
    t.match(r.json().errors, [{ parameter, message: /NUL/ }], url)
  }
  // %ED%A0%80 is a surrogate encoded as UTF-8, which is not UTF-8: never a 500
  for (const url of ['/v1/schemes?q=%ED%A0%80', '/oruk/services?search=%ED%B0%80']) {
    const r = await app.inject(url)
    t.ok(r.statusCode < 500, `${url}: ${r.statusCode}`)
  }
})

t.test('numbers in query strings are written plainly: hex, padding, signs, exponents and leading zeros are 400s', async (t) => {
  const { app } = await build(t)
  // bad inputs: each was coerced by Ajv and accepted (lat=0x10 searched at latitude 16)
  const cases: Array<[string, string]> = [
    ['lat=0x10&lon=0', 'lat'], ['lat=51.5&lon=0&radius_m=0x1F4', 'radius_m'], ['lat=%2051.5&lon=0', 'lat'], ['lat=51.5%20&lon=0', 'lat'],
    ['lat=051.5&lon=0', 'lat'], ['lat=%2B51&lon=0', 'lat'], ['lat=51&lon=0&radius_m=1e3', 'radius_m'], ['lat=Infinity&lon=0', 'lat'],
    ['lat=1e309&lon=0', 'lat'], ['limit=007', 'limit'], ['limit=5.0', 'limit'], ['age=.5', 'age'], ['max_cost_pence=5.', 'max_cost_pence'],
  ]
  for (const [qs, parameter] of cases) {
    const r = await app.inject(`/v1/schemes?${qs}`)
    isProblem(t, r, 400)
    t.same(r.json().errors.map((e: any) => e.parameter), [parameter], qs)
    t.match(r.json().errors[0].message, /plain (decimal|whole) number|finite/)
  }
  const oruk = await app.inject('/oruk/services?page=0x2&per_page=%2010')
  isProblem(t, oruk, 400)
  t.same(oruk.json().errors.map((e: any) => e.parameter).sort(), ['page', 'per_page'])
  // was a 500: an integer parameter given a fraction passed as a number and failed in SQL
  for (const url of ['/oruk/services?minimum_age=2.5', '/oruk/service_at_locations?maximum_age=2.5']) {
    const r = await app.inject(url)
    isProblem(t, r, 400)
    t.same(r.json().errors.map((e: any) => e.parameter), [url.includes('minimum') ? 'minimum_age' : 'maximum_age'], url)
  }
  for (const qs of ['lat=51.5&lon=-0.07&radius_m=500', 'lat=-0&lon=0.5&limit=10', 'age=0&max_cost_pence=100']) {
    t.equal((await app.inject(`/v1/schemes?${qs}`)).statusCode, 200, `${qs}: accepted`)
  }
})

t.test('only JSON in UTF-8, uncompressed, is read: anything else is a 415', async (t) => {
  const { app } = await build(t)
  const { admin } = await createOrganisation(app)
  const before = await checksum(app)
  // bad inputs: a text/plain body (was a 400 "must be object"), UTF-16, a gzip Content-Encoding
  const cases: Array<[Record<string, string>, string]> = [
    [{ 'content-type': 'text/plain' }, 'content-type'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'content-type'],
    [{ 'content-type': 'application/json; charset=utf-16' }, 'content-type'],
    [{ 'content-type': 'application/json; charset=latin1' }, 'content-type'],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'content-encoding'],
    [{ 'content-type': 'application/json', 'content-encoding': 'identity, br' }, 'content-encoding'],
  ]
  for (const [headers, header] of cases) {
    const r = await call(app, 'POST', '/v1/organisations', { key: admin, body: '{"name":"Unsupported"}', headers })
    isProblem(t, r, 415)
    t.match(r.json(), { type: '/problems/http-415', errors: [{ header }] }, JSON.stringify(headers))
  }
  t.equal(await checksum(app), before, 'nothing was written')
  for (const type of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json']) {
    const r = await call(app, 'POST', '/v1/organisations', { key: admin, body: '{"name":"Plain"}', headers: { 'content-type': type, 'content-encoding': 'identity' } })
    t.equal(r.statusCode, 201, type)
  }
})

t.test('a name of only invisible or white-space characters is refused, for every name-like field', async (t) => {
  const { app } = await build(t)
  const { organisation, key, admin } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const before = await checksum(app)
  // bad inputs: zero-width space, joiners, word joiner, BOM, no-break and ideographic spaces
  for (const blank of ['\u200b', '\u200c\u200d', ' \u2060 ', '\ufeff', '\u00a0\u3000', '\u200b \u200b']) {
    const cases: Array<[any, string, string, unknown]> = [
      ['POST', '/v1/organisations', admin, { name: blank }],
      ['PATCH', `/v1/organisations/${organisation.id}`, key, { name: blank }],
      ['POST', '/v1/venues', key, venueBody({ name: blank })],
      ['POST', '/v1/schemes', key, schemeBody({ name: blank, sessions: [weekly(venue.id)] })],
      ['POST', '/v1/keys', admin, { role: 'admin', label: blank }],
    ]
    for (const [method, url, k, body] of cases) {
      const r = await call(app, method, url, { key: k, body, headers: { 'if-match': '"1"' } })
      isProblem(t, r, 400)
      t.match(r.json().errors, [{ pointer: url === '/v1/keys' ? '/label' : '/name', message: /blank/ }], `${method} ${url} ${JSON.stringify(blank)}`)
    }
  }
  t.equal(await checksum(app), before, 'nothing was written')
  t.equal((await call(app, 'POST', '/v1/organisations', { key: admin, body: { name: '\u200bZero width at the start' } })).statusCode, 201, 'visible text around them is fine')
})
