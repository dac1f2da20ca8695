import { withSummaries } from '../../domain/schedule-summary.ts'
import { SchemeSchema } from '../../schemas/scheme.ts'
import { dataCatalog, dataset } from './dataset.ts'
import { toSessionSeries, type Scheme } from './session-series.ts'

// The scheme of the native API's own example, mapped by the real mapping, so that the OpenAPI
// examples are what the feed serves.
const BASE = 'https://signpost.example'
const scheme = withSummaries((SchemeSchema as unknown as { examples: unknown[] }).examples[0] as Scheme)

export const OA_EXAMPLE_SESSION_SERIES = toSessionSeries({ scheme }, { base: BASE, nationOf: () => 'England' })!
export const OA_EXAMPLE_DATASET = dataset({ base: BASE })
export const OA_EXAMPLE_DATA_CATALOG = dataCatalog({ base: BASE })
