import { PERIODS, WEEKDAYS, periodLabel, type PeriodCode } from './calendar.ts'

/** SPEC §2 vocabularies: code → label. The API, validation and the ORUK taxonomies read these. */
export const VOCABULARIES = {
  accessibility: {
    step_free: 'Step-free access', wheelchair_accessible: 'Wheelchair accessible', accessible_toilet: 'Accessible toilet',
    changing_places: 'Changing Places toilet', hearing_loop: 'Hearing loop', bsl: 'British Sign Language',
    large_print: 'Large print materials', easy_read: 'Easy read materials', quiet_space: 'Quiet space',
    seating: 'Seating available', blue_badge_parking: 'Blue Badge parking', public_transport_nearby: 'Public transport nearby',
    assistance_dogs: 'Assistance dogs welcome', dementia_friendly: 'Dementia friendly', carer_free: 'Carers attend free',
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
  delivery: { in_person: 'In person', online: 'Online', telephone: 'Telephone', home_visit: 'Home visit' },
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

/** The vocabularies as the API serves them: for each, its codes with labels. */
export function vocabularyLists(): Record<VocabularyName, Array<{ code: string; label: string }>> {
  return Object.fromEntries(
    Object.entries(VOCABULARIES).map(([name, terms]) => [name, Object.entries(terms).map(([code, label]) => ({ code, label }))]),
  ) as Record<VocabularyName, Array<{ code: string; label: string }>>
}
export const codes = <V extends VocabularyName>(v: V) => Object.keys(VOCABULARIES[v]) as Array<keyof (typeof VOCABULARIES)[V] & string>

/** Support categories are listed apart from activities in SPEC §2; the API serves one list. */
export const REMOTE_DELIVERY = ['online', 'telephone', 'home_visit'] as const
