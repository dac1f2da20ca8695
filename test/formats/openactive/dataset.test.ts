import t from 'tap'
import { dataCatalog, dataset } from '../../../src/formats/openactive/dataset.ts'
import { failures, oaValidate, undocumentedWarnings } from './validator.ts'

const ctx = { base: 'https://signpost.example' }

t.test('the dataset site\'s Dataset lists the session-series feed and validates', async (t) => {
  const d = dataset(ctx)
  t.match(d, {
    '@context': 'https://openactive.io/', '@type': 'Dataset', '@id': 'https://signpost.example/openactive', url: 'https://signpost.example/openactive',
    license: 'https://creativecommons.org/licenses/by/4.0/', inLanguage: ['en-GB'], schemaVersion: 'https://openactive.io/modelling-opportunity-data/2.0/',
    publisher: { '@type': 'Organization', name: 'Signpost' },
  })
  t.same(d.distribution, [{ '@type': 'DataDownload', name: 'SessionSeries', additionalType: 'https://openactive.io/SessionSeries',
    encodingFormat: 'application/vnd.openactive.rpde+json; version=1', contentUrl: 'https://signpost.example/openactive/session-series' }])
  const found = await oaValidate(d)
  t.same(failures(found), [])
  t.same(undocumentedWarnings(found), [])
})

t.test('the DataCatalog lists the dataset site and validates', async (t) => {
  const c = dataCatalog(ctx)
  t.match(c, { '@type': 'DataCatalog', '@id': 'https://signpost.example/openactive/data-catalog', license: 'https://creativecommons.org/licenses/by/4.0/',
    dataset: ['https://signpost.example/openactive'] })
  const found = await oaValidate(c)
  t.same(failures(found), [])
  t.same(undocumentedWarnings(found), [])
})
