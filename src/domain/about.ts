/** What the API says about itself at GET /, and the data attributions the licences require. */
export const API_VERSION = '1.0.0'

export const ATTRIBUTION = [
  'Contains OS data © Crown copyright and database right 2025.',
  'Contains Royal Mail data © Royal Mail copyright and database right 2025.',
  'Contains National Statistics data © Crown copyright and database right 2025.',
  'Postcode centroids derived from OS Code-Point Open, Open Government Licence v3.0: ' +
    'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
  'Food bank data from Give Food (https://www.givefood.org.uk), CC BY 4.0.',
  'Open Referral UK feed: Human Services Data Specification, an Open Referral resource (https://openreferral.org/), CC BY-SA 4.0.',
]

export const ABOUT = {
  name: 'Signpost',
  description: 'The national directory API of local social prescribing schemes in the UK.',
  version: API_VERSION,
  links: { docs: '/docs', openapi: '/openapi.json', search: '/v1/schemes', vocabularies: '/v1/vocabularies', oruk: '/oruk/' },
  attribution: ATTRIBUTION,
}
