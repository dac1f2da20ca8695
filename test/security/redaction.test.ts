import t from 'tap'
import { build } from '../helper.ts'
import { loggableName, redactUrl } from '../../src/logging.ts'

// A patient's postcode or coordinates must never reach a log line, even when they come in a
// parameter the API does not know, a misspelt one, or as a parameter name (issue 12).

t.test('redactUrl keeps only the values of declared, non-private parameters', async (t) => {
  const declared = new Set(['q', 'postcode', 'limit'])
  t.equal(redactUrl('/v1/schemes?q=walk&limit=5', declared), '/v1/schemes?q=walk&limit=5')
  t.equal(redactUrl('/v1/schemes?Postcode=SE15%204AB&q=x', declared), '/v1/schemes?Postcode=[redacted]&q=x')
  t.equal(redactUrl('/v1/schemes?postcode_x=SE15%204AB', declared), '/v1/schemes?postcode_x=[redacted]')
  t.equal(redactUrl('/v1/schemes?postcode%=SE154AB', declared), '/v1/schemes?[redacted]=[redacted]')
  t.equal(redactUrl('/v1/schemes?SE154AB=1&51.4669', declared), '/v1/schemes?[redacted]=[redacted]&[redacted]=[redacted]')
  t.equal(redactUrl('/v1/schemes?q=walk'), '/v1/schemes?q=[redacted]', 'nothing declared: no value kept')
  t.equal(loggableName('/sessions/0/notes'), '/sessions/0/notes')
  t.equal(loggableName('SE15 4AB'), '[redacted]')
  t.equal(loggableName('/a/51.4669'), '/a/[redacted]')
})

t.test('refused and unknown parameters: no postcode or coordinate in any log line', async (t) => {
  const { app, logs } = await build(t)
  // bad inputs: the probe's postcode% and postcode_x, a postcode and coordinates as names, lat/lon misspelt
  const urls = [
    '/v1/schemes?postcode%25=SE15%204AB',
    '/v1/schemes?postcode%=SE154AB',
    '/v1/schemes?postcode_x=SE15%204AB',
    '/v1/schemes?SE15%204AB=1',
    '/v1/schemes?latitude=51.4669&longitude=-0.0735',
    '/v1/schemes?51.4669=-0.0735',
    '/v1/schemes?lat=51.4669&lon=0x10',
    '/oruk/services?postcode=SE15%204AB&proximity=abc',
    '/nowhere?postcode=SE15%204AB',
  ]
  for (const url of urls) {
    const r = await app.inject(url)
    t.ok(r.statusCode >= 400 && r.statusCode < 500, `${url}: ${r.statusCode}`)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.notMatch(r.body, /SE15|SE154AB|51\.4669|0\.0735/, `${url}: the answer does not echo the values`)
  }
  const text = JSON.stringify(logs)
  t.notMatch(text, /SE15|se15|SE154AB|51\.4669|0\.0735/i, 'no postcode or coordinates in any log line')
  t.ok(logs.some((l) => (l.msg === 'invalid request' || l.msg === 'request refused') && l.fields?.includes('[redacted]')), 'the refusal is logged, its odd name replaced')
})
