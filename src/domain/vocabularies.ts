import { PERIODS, WEEKDAYS, periodLabel, type PeriodCode } from './calendar.ts'

/** SPEC §2 vocabularies: code → label. The API, validation and the ORUK taxonomies read these. */
export const VOCABULARIES = {
  accessibility: {
    step_free: 'Step-free access', wheelchair_accessible: 'Wheelchair accessible', accessible_toilet: 'Accessible toilet',
    changing_places: 'Changing Places toilet', hearing_loop: 'Hearing loop', bsl: 'British Sign Language',
    large_print: 'Large print materials', easy_read: 'Easy read materials', quiet_space: 'Quiet space',
    seating: 'Seating available', blue_badge_parking: 'Blue Badge parking', public_transport_nearby: 'Public transport nearby',
    assistance_dogs: 'Assistance dogs welcome', dementia_friendly: 'Dementia friendly', carer_free: 'Carers attend free',
    autism_friendly: 'Autism friendly', sensory_friendly: 'Sensory friendly', no_phone_needed: 'No phone needed',
    accompaniment: 'Someone can go with you', transport: 'Transport offered',
  },
  categories: {
    walking: 'Walking', running: 'Running', sport_exercise: 'Sport and exercise', dance: 'Dance', yoga_tai_chi: 'Yoga and tai chi',
    swimming: 'Swimming', gardening: 'Gardening', nature_outdoors: 'Nature and outdoors', arts_crafts: 'Arts and crafts',
    music_singing: 'Music and singing', creative_writing: 'Creative writing', cookery: 'Cookery', lunch_club: 'Lunch club',
    coffee_morning: 'Coffee morning', book_club: 'Book club', mens_shed: "Men's shed", volunteering: 'Volunteering',
    learning: 'Learning', digital_skills: 'Digital skills', faith_community: 'Faith community',
    befriending: 'Befriending', peer_support: 'Peer support', mental_wellbeing: 'Mental wellbeing', bereavement: 'Bereavement support',
    carers_support: 'Carers support', dementia_support: 'Dementia support', long_term_conditions: 'Long-term conditions',
    weight_management: 'Weight management', money_debt_advice: 'Money and debt advice', benefits_advice: 'Benefits advice',
    housing_advice: 'Housing advice', employment_support: 'Employment support', food_bank: 'Food bank', legal_advice: 'Legal advice',
    domestic_abuse_support: 'Domestic abuse support', addiction_recovery: 'Addiction recovery',
  },
  needs: {
    loneliness: 'Loneliness', low_mood: 'Low mood', anxiety: 'Anxiety', stress: 'Stress', physical_inactivity: 'Physical inactivity',
    weight: 'Weight', long_term_condition: 'Long-term condition', mobility: 'Mobility', memory_loss: 'Memory loss',
    bereavement: 'Bereavement', caring: 'Caring responsibilities', money_worries: 'Money worries', debt: 'Debt', benefits: 'Benefits',
    housing: 'Housing', food_insecurity: 'Food insecurity', unemployment: 'Unemployment', digital_exclusion: 'Digital exclusion',
    confidence: 'Confidence', substance_use: 'Substance use',
  },
  audience: {
    older_people: 'Older people', young_adults: 'Young adults', men: 'Men', women: 'Women', carers: 'Carers', parents: 'Parents',
    veterans: 'Veterans', lgbtq: 'LGBTQ+ people', refugees_asylum_seekers: 'Refugees and asylum seekers',
    people_with_dementia: 'People with dementia', disabled_people: 'Disabled people', ethnic_minority_communities: 'Ethnic minority communities',
  },
  delivery: { in_person: 'In person', online: 'Online', telephone: 'Telephone', home_visit: 'Home visit', text_chat: 'Text or online chat' },
  days: Object.fromEntries(WEEKDAYS.map((d) => [d.code, d.name])) as Record<(typeof WEEKDAYS)[number]['code'], string>,
  period: Object.fromEntries(Object.keys(PERIODS).map((p) => [p, periodLabel(p as PeriodCode)])) as Record<PeriodCode, string>,
  frequency: { weekly: 'Weekly', fortnightly: 'Fortnightly', monthly: 'Monthly', once: 'Once' },
  group_size: { one_to_one: 'One to one', small: 'Small group', medium: 'Medium group', large: 'Large group' },
  cost_per: { session: 'Per session', week: 'Per week', month: 'Per month', course: 'Per course', year: 'Per year' },
  status: { active: 'Active', paused: 'Paused', ended: 'Ended' },
  // issue 13: how a referral is made, who may make one, and whether there is room
  referral_methods: { form: 'Referral form', email: 'E-mail', phone: 'Phone call', in_person: 'In person', self: 'The person gets in touch themselves' },
  referral_from: {
    gp: 'GP', practice_nurse: 'Practice nurse', link_worker: 'Social prescribing link worker', pharmacy: 'Pharmacy', social_worker: 'Social worker',
    housing_association: 'Housing association', voluntary_sector: 'Voluntary sector organisation', self: 'Self-referral',
  },
  capacity_status: { places_available: 'Places available', waiting_list: 'Waiting list', full: 'Full' },
} as const

export type VocabularyName = keyof typeof VOCABULARIES

/**
 * One line on what a code promises, for the vocabularies where a label alone leaves a
 * publisher or a link worker guessing: every access code and every delivery mode has one
 * (test/domain/vocabularies.test.ts). Served with the labels at GET /v1/vocabularies.
 */
export const DESCRIPTIONS: { [V in VocabularyName]?: Record<keyof (typeof VOCABULARIES)[V] & string, string> } = {
  accessibility: {
    step_free: 'You can get in and around without steps, or with a ramp or lift.',
    wheelchair_accessible: 'A wheelchair user can get in, move around and take part.',
    accessible_toilet: 'There is an accessible toilet.',
    changing_places: 'There is a Changing Places toilet, with a hoist and an adult-sized changing bench.',
    hearing_loop: 'There is a hearing loop for hearing aid users.',
    bsl: 'British Sign Language is used or an interpreter can be arranged.',
    large_print: 'Materials are available in large print.',
    easy_read: 'Materials are available in easy read.',
    quiet_space: 'There is a quiet space to take a break.',
    seating: 'There is seating, and you can sit down during the activity.',
    blue_badge_parking: 'There is Blue Badge parking close by.',
    public_transport_nearby: 'A bus stop or station is within a short walk.',
    assistance_dogs: 'Assistance dogs are welcome.',
    dementia_friendly: 'Staff or volunteers are trained to support people living with dementia.',
    carer_free: 'A carer or companion comes free of charge.',
    autism_friendly: 'Run with autistic people in mind: predictable, explained in advance, no pressure to join in.',
    sensory_friendly: 'Low noise and soft lighting, with a way to step away when it gets too much.',
    no_phone_needed: 'You can get in touch and take part by text, e-mail or online chat, without a phone call.',
    accompaniment: 'A volunteer can come with you, at least the first time.',
    transport: 'Transport is offered or arranged to get you there and back.',
  },
  delivery: {
    in_person: 'At a venue, with other people.',
    online: 'Over the internet, by video or in an online group.',
    telephone: 'By telephone call.',
    home_visit: 'Someone comes to your home.',
    text_chat: 'A conversation in writing: online chat or text messages (SMS).',
  },
}

export interface Term { code: string; label: string; description?: string }

/** The vocabularies as the API serves them: for each, its codes with labels (and a description where there is one). */
export function vocabularyLists(): Record<VocabularyName, Term[]> {
  return Object.fromEntries(Object.entries(VOCABULARIES).map(([name, terms]) => {
    const described = DESCRIPTIONS[name as VocabularyName] as Record<string, string> | undefined
    return [name, Object.entries(terms).map(([code, label]) => (described?.[code] ? { code, label, description: described[code] } : { code, label }))]
  })) as Record<VocabularyName, Term[]>
}
export const codes = <V extends VocabularyName>(v: V) => Object.keys(VOCABULARIES[v]) as Array<keyof (typeof VOCABULARIES)[V] & string>

/** Support categories are listed apart from activities in SPEC §2; the API serves one list. */
export const REMOTE_DELIVERY = ['online', 'telephone', 'home_visit', 'text_chat'] as const
