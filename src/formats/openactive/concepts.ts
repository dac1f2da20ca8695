import type { VOCABULARIES } from '../../domain/vocabularies.ts'

type CategoryCode = keyof (typeof VOCABULARIES)['categories']
type AccessCode = keyof (typeof VOCABULARIES)['accessibility']

export const ACTIVITY_LIST = 'https://openactive.io/activity-list'
export const ACCESSIBILITY_SUPPORT_LIST = 'https://openactive.io/accessibility-support'

export interface OaConcept { id: string; prefLabel: string }

const activity = (uuid: string, prefLabel: string): OaConcept => ({ id: `${ACTIVITY_LIST}#${uuid}`, prefLabel })

/**
 * Our activity categories (SPEC §2) → OpenActive activity-list concepts (id and prefLabel as the
 * list spells them; test/fixtures/openactive/activity-list.jsonld is the list they are checked
 * against). The activity list names physical activities only: a category that is not one
 * (book club, lunch club, arts and crafts…) has no concept, and a scheme with none of these
 * categories is not an OpenActive opportunity. Support categories are never here.
 */
export const ACTIVITY_CONCEPTS: Partial<Record<CategoryCode, readonly OaConcept[]>> = {
  walking: [activity('95092977-5a20-4d6e-b312-8fddabe71544', 'Walking')],
  running: [activity('72ddb2dc-7d75-424e-880a-d90eabe91381', 'Running')],
  sport_exercise: [activity('984068a7-5b7b-4989-bb33-f96953d8960c', 'Group Exercise')],
  dance: [activity('6ca15167-51da-4d91-a1ae-8a45dc47b0ea', 'Dance')],
  yoga_tai_chi: [activity('bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e', 'Yoga'), activity('c16df6ed-a4a0-4275-a8c3-1c8cff56856f', 'Tai Chi')],
  swimming: [activity('2750229d-b725-4171-9276-376be913957c', 'Swimming')],
  gardening: [activity('5b880e93-4a16-4c37-86ac-ba2ffba68358', 'Gardening')],
  music_singing: [activity('e2b21a40-66a4-42bb-a24f-3638cc356299', 'Singing')],
}

/** The activity-list concepts of a scheme's categories, each once, in category order; empty: not an OpenActive opportunity. */
export function activitiesOf(categories: readonly string[]): OaConcept[] {
  const seen = new Map<string, OaConcept>()
  for (const c of categories) for (const concept of ACTIVITY_CONCEPTS[c as CategoryCode] ?? []) seen.set(concept.id, concept)
  return [...seen.values()]
}

const support = (uuid: string, prefLabel: string): OaConcept => ({ id: `${ACCESSIBILITY_SUPPORT_LIST}#${uuid}`, prefLabel })
const PHYSICAL = support('dd026873-6713-4ea1-af5a-08901f651d98', 'Physical impairment')
const HEARING = support('2bfb7228-5969-4927-8435-38b5005a8771', 'Hearing impairment')
const VISUAL = support('1393f2dc-3fcc-4be9-a99f-f1e51f5ad277', 'Visual impairment')
const LEARNING = support('67902468-fd49-4238-8650-20a22d7f0e40', 'Learning impairment')

/**
 * Access codes → the OpenActive accessibility-support concept whose needs the code meets. Only
 * codes that plainly meet one impairment's needs map; the rest (seating, quiet space, dementia
 * friendly…) have no concept and stay in the description of the venue's Place.
 */
export const ACCESSIBILITY_SUPPORT: Partial<Record<AccessCode, OaConcept>> = {
  step_free: PHYSICAL, wheelchair_accessible: PHYSICAL, changing_places: PHYSICAL,
  hearing_loop: HEARING, bsl: HEARING,
  large_print: VISUAL,
  easy_read: LEARNING,
}

/** The accessibility-support concepts that these access codes meet, each once. */
export function accessibilitySupportOf(codes: readonly string[]): OaConcept[] {
  const seen = new Map<string, OaConcept>()
  for (const c of codes) {
    const concept = ACCESSIBILITY_SUPPORT[c as AccessCode]
    if (concept) seen.set(concept.id, concept)
  }
  return [...seen.values()]
}
