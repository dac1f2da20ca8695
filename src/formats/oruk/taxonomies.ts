import { VOCABULARIES } from '../../domain/vocabularies.ts'
import { orukId } from './ids.ts'

/** The vocabularies published as ORUK taxonomies, with how each describes a service. */
export const TAXONOMY_VOCABULARIES = {
  categories: { name: 'Signpost categories',
    description: 'What people do at a scheme: activities (walking, choirs, men\'s sheds…) and kinds of support (befriending, debt advice, food banks…).' },
  needs: { name: 'Signpost needs', description: 'What a scheme helps with (loneliness, low mood, money worries…).' },
  audience: { name: 'Signpost audience', description: 'Who a scheme is especially for.' },
  accessibility: { name: 'Signpost accessibility',
    description: 'Access support at a venue (step-free access, hearing loop…) or offered by the scheme (BSL, carers attend free…).' },
  delivery: { name: 'Signpost delivery', description: 'How a scheme is delivered: in person, online, by telephone, by home visit or by text or online chat.' },
  group_size: { name: 'Signpost group size', description: 'How large the groups are: one to one, small, medium or large.' },
  referral_methods: { name: 'Signpost referral methods',
    description: 'How a referral to a scheme is made: a referral form, e-mail, a phone call, in person, or the person getting in touch themselves.' },
  referral_from: { name: 'Signpost referral sources',
    description: 'Who may refer someone to a scheme: a GP, practice nurse, link worker, pharmacy, social worker, housing association, ' +
      'voluntary sector organisation, or the person themselves.' },
} as const

export type TaxonomyVocabulary = keyof typeof TAXONOMY_VOCABULARIES
export const TAXONOMY_NAMES = Object.keys(TAXONOMY_VOCABULARIES) as TaxonomyVocabulary[]

export interface OrukTaxonomy { id: string; name: string; description: string; version: string }
export interface OrukTaxonomyTerm { id: string; name: string; description: string; taxonomy: string; taxonomy_id: string; term: string }

/** Bump when a published vocabulary changes its codes. */
export const TAXONOMY_VERSION = '1'

export const taxonomyId = (vocabulary: TaxonomyVocabulary) => orukId('taxonomy', vocabulary)
export const termId = (vocabulary: TaxonomyVocabulary, code: string) => orukId('term', vocabulary, code)

export function taxonomy(vocabulary: TaxonomyVocabulary): OrukTaxonomy {
  const t = TAXONOMY_VOCABULARIES[vocabulary]
  return { id: taxonomyId(vocabulary), name: t.name, description: t.description, version: TAXONOMY_VERSION }
}

export function term(vocabulary: TaxonomyVocabulary, code: string): OrukTaxonomyTerm {
  const label = (VOCABULARIES[vocabulary] as Record<string, string>)[code] ?? code
  const t = TAXONOMY_VOCABULARIES[vocabulary]
  return { id: termId(vocabulary, code), name: label,
    description: `${t.name}: ${label} (code ${code})`, taxonomy: t.name, taxonomy_id: taxonomyId(vocabulary), term: code }
}

/** Every taxonomy, in a fixed order, and every term, grouped by taxonomy in vocabulary order. */
export const ALL_TAXONOMIES: OrukTaxonomy[] = TAXONOMY_NAMES.map(taxonomy)
export const ALL_TERMS: OrukTaxonomyTerm[] = TAXONOMY_NAMES.flatMap((v) => Object.keys(VOCABULARIES[v]).map((code) => term(v, code)))

const byTaxonomyId = new Map(TAXONOMY_NAMES.map((v) => [taxonomyId(v), v]))
const byTermId = new Map(TAXONOMY_NAMES.flatMap((v) => Object.keys(VOCABULARIES[v]).map((code) => [termId(v, code), { vocabulary: v, code }] as const)))

export const findTaxonomy = (id: string): TaxonomyVocabulary | undefined => byTaxonomyId.get(id.toLowerCase())
export const findTerm = (id: string): { vocabulary: TaxonomyVocabulary; code: string } | undefined => byTermId.get(id.toLowerCase())

/** search on taxonomies and terms: every word of `query`, in any case, somewhere in `texts`. */
function matchesWords(query: string, texts: string[]): boolean {
  const haystack = texts.join(' ').toLocaleLowerCase('en-GB')
  return query.toLocaleLowerCase('en-GB').split(/\s+/).filter(Boolean).every((word) => haystack.includes(word))
}

/** The taxonomies GET /oruk/taxonomies lists: search in the name or description. */
export const taxonomiesMatching = (search?: string): OrukTaxonomy[] =>
  search === undefined ? ALL_TAXONOMIES : ALL_TAXONOMIES.filter((t) => matchesWords(search, [t.name, t.description]))

/**
 * The terms GET /oruk/taxonomy_terms lists: search in the name, description or code, and one
 * taxonomy's. The vocabularies are flat: every term is top-level (top_only keeps them all) and
 * none has a parent (parent_id matches none).
 */
export function termsMatching(q: { search?: string; taxonomyId?: string; parentId?: string }): OrukTaxonomyTerm[] {
  if (q.parentId !== undefined) return []
  return ALL_TERMS.filter((t) => (q.search === undefined || matchesWords(q.search, [t.name, t.description, t.term]))
    && (q.taxonomyId === undefined || t.taxonomy_id === q.taxonomyId.toLowerCase()))
}
