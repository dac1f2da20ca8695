import { salId } from '../formats/oruk/ids.ts'
import { taxonomyId, termId } from '../formats/oruk/taxonomies.ts'
import { nameId, slug } from './random.ts'

/**
 * The ids of demo records that the OpenAPI examples name, so that every operation's "Try it
 * out" in /docs works on the demo directory as it is (test/openapi-try-it-out.test.ts). The
 * demo seed (src/seed/demo.ts) gives its records these same name-based ids.
 */
const CHOIR = 'Rye Lane Community Choir'
const choirKey = `peckham:${slug(CHOIR)}`

export const DEMO_EXAMPLES = {
  /** The choir's own organisation. */
  organisationId: nameId(`demo:org:${choirKey}`),
  /** Rye Lane Community Choir (Thursday evenings, Peckham). */
  schemeId: nameId(`demo:scheme:${choirKey}`),
  /** Bristol Digital Buddies: a remote scheme with a polygon service area. */
  areaSchemeId: nameId('demo:scheme:remote:bristol-digital-buddies'),
  /** The hall the choir meets in. */
  venueId: nameId(`demo:venue:${choirKey}:methodist`),
  /** A hall the choir registered and no longer uses: a venue that may be deleted. */
  spareVenueId: nameId(`demo:venue:${choirKey}:old-hall`),
  /** A reader key of the demo whose secret nobody holds: one that may be read and revoked. */
  keyId: nameId('demo:key:example-reader'),
  /** A webhook subscription of the choir's organisation, turned off: one to read, change and delete. */
  webhookId: nameId('demo:webhook:choir'),
} as const

/** Where the demo's webhook would send: a name that is nobody's receiver. */
export const DEMO_WEBHOOK_URL = 'https://hooks.example.org.uk/signpost'

export const DEMO_ORUK_EXAMPLES = {
  serviceId: DEMO_EXAMPLES.schemeId,
  serviceAtLocationId: salId(DEMO_EXAMPLES.schemeId, DEMO_EXAMPLES.venueId),
  taxonomyId: taxonomyId('categories'),
  termId: termId('categories', 'music_singing'),
} as const

export const DEMO_CHOIR = { name: CHOIR, key: choirKey }
