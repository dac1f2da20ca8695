import { OA_CONTEXT } from './session-series.ts'

/**
 * The OpenActive dataset site's JSON-LD (Dataset API Discovery 1.0): a schema.org Dataset whose
 * distribution lists each RPDE feed as a DataDownload, and the DataCatalog that lists the
 * dataset site, for OpenActive's catalogue of publishers to read.
 */

export const RPDE_MEDIA_TYPE = 'application/vnd.openactive.rpde+json; version=1'
// OpenActive's context comes first (the validator requires it) and includes schema.org's terms.
export const DATASET_CONTEXT = OA_CONTEXT

/** The feeds, each an OpenActive opportunity type at a path under /openactive. */
export const OA_FEEDS = [
  { name: 'SessionSeries', path: '/openactive/session-series', additionalType: 'https://openactive.io/SessionSeries' },
] as const

/** OpenActive open data is published under CC BY 4.0: the validator accepts no other licence. */
export const OA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/'

export interface DatasetContext {
  /** The public base URL (no trailing slash). */
  base: string
}

const publisher = (base: string) => ({
  '@type': 'Organization', name: 'Signpost', url: base, description: 'The national directory of social prescribing schemes in the UK.',
})

export const datasetUrl = (base: string) => `${base}/openactive`
export const catalogUrl = (base: string) => `${base}/openactive/data-catalog`

/** The Dataset that the dataset site at /openactive embeds and serves. */
export function dataset(ctx: DatasetContext): Record<string, unknown> {
  const { base } = ctx
  return {
    '@context': DATASET_CONTEXT,
    '@type': 'Dataset',
    '@id': datasetUrl(base),
    url: datasetUrl(base),
    name: 'Signpost social prescribing activities',
    description: 'The physical activities in Signpost, the national directory of social prescribing schemes in the UK: walking groups, ' +
      'choirs, dance, exercise, swimming, gardening and more, that link workers and GPs refer people to, published as OpenActive open data.',
    keywords: ['Social prescribing', 'Activities', 'Walking', 'Exercise', 'Dance', 'Singing', 'Community groups', 'Sessions'],
    license: OA_LICENSE,
    discussionUrl: `${base}/docs/guides/openactive`,
    documentation: 'https://permalink.openactive.io/dataset-site/open-data-documentation',
    inLanguage: ['en-GB'],
    schemaVersion: 'https://openactive.io/modelling-opportunity-data/2.0/',
    publisher: publisher(base),
    distribution: OA_FEEDS.map((f) => ({
      '@type': 'DataDownload', name: f.name, additionalType: f.additionalType, encodingFormat: RPDE_MEDIA_TYPE, contentUrl: `${base}${f.path}`,
    })),
  }
}

/** A DataCatalog of the one dataset site, for a catalogue that collects publishers' catalogues. */
export function dataCatalog(ctx: DatasetContext): Record<string, unknown> {
  return {
    '@context': DATASET_CONTEXT,
    '@type': 'DataCatalog',
    '@id': catalogUrl(ctx.base),
    name: 'Signpost OpenActive data catalogue',
    license: OA_LICENSE,
    publisher: publisher(ctx.base),
    dataset: [datasetUrl(ctx.base)],
  }
}
