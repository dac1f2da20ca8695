import type { ServiceArea } from './rows.ts'
import type { Slot } from './archetypes.ts'

/**
 * Invented online, telephone and home-visit schemes, one per kind of service area:
 * national, a radius around a town, a polygon over a town. `near` names the town whose
 * centre a local area is drawn around.
 */
export interface RemoteScheme {
  key: string; organisation: string; name: string; description: string
  categories: string[]; needs: string[]; audience: string[]; delivery: string[]
  area: ServiceArea | { near: string; kind: 'radius' | 'polygon'; km: number }
  sessions: Array<Slot & { frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'; week_of_month?: number; in_days?: number }>
  phone?: string; accessibility?: string[]; languages?: string[]; min_age?: number; group_size?: 'one_to_one' | 'small' | 'medium' | 'large'
  self_referral?: boolean; status?: 'active' | 'paused'; stale?: boolean
  /** a number for text messages */
  text?: string; always_open?: boolean; by_arrangement?: boolean
}

const NATIONAL: ServiceArea = { type: 'national' }

export const REMOTE: RemoteScheme[] = [
  { key: 'evening-call', organisation: 'The Evening Call', name: 'Evening Call: telephone befriending',
    description: 'A friendly volunteer phones you at the same time each week for a chat. For anyone aged 55 or over who feels lonely, especially in ' +
      'the evenings.',
    categories: ['befriending'], needs: ['loneliness', 'low_mood'], audience: ['older_people'], delivery: ['telephone'], area: NATIONAL,
    sessions: [{ frequency: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], starts: '17:00', ends: '21:00' }],
    phone: '0808 157 0101', min_age: 55, group_size: 'one_to_one', self_referral: true },
  { key: 'open-door-online', organisation: 'Open Door Peer Support', name: 'Open Door online peer support',
    description: 'Small online peer support groups for adults living with anxiety or low mood, led by trained volunteers with lived experience.',
    categories: ['peer_support', 'mental_wellbeing'], needs: ['anxiety', 'low_mood', 'stress'], audience: [], delivery: ['online'], area: NATIONAL,
    sessions: [{ frequency: 'weekly', days: ['tue'], starts: '19:00', ends: '20:30' }, { frequency: 'weekly', days: ['thu'], starts: '19:00', ends: '20:30' }],
    min_age: 18, group_size: 'small', self_referral: true, accessibility: ['quiet_space'] },
  { key: 'bsl-peer', organisation: 'Deaf Connect UK', name: 'BSL online social',
    description: 'A monthly online social for Deaf people across the UK, in British Sign Language.',
    categories: ['befriending', 'peer_support'], needs: ['loneliness', 'confidence'], audience: ['disabled_people'], delivery: ['online'], area: NATIONAL,
    sessions: [{ frequency: 'monthly', week_of_month: -1, days: ['thu'], starts: '19:00', ends: '20:30' }],
    languages: ['bsl'], accessibility: ['bsl'], group_size: 'medium', self_referral: true },
  { key: 'grief-course', organisation: 'Griefline', name: 'Living with grief: online course',
    description: 'A six-week online course for people bereaved in the last two years. The next courses start on the dates listed.',
    categories: ['bereavement', 'learning'], needs: ['bereavement', 'low_mood'], audience: [], delivery: ['online'], area: NATIONAL,
    sessions: [{ frequency: 'once', days: [], starts: '18:30', ends: '20:00', in_days: 12 },
      { frequency: 'once', days: [], starts: '10:30', ends: '12:00', in_days: 47 }],
    min_age: 18, group_size: 'small', self_referral: true, stale: true },
  { key: 'leeds-money-line', organisation: 'Leeds Money Line', name: 'Leeds Money Line',
    description: 'Free telephone advice on debt, benefits and budgeting for anyone living in Leeds. Leave a message any time and an adviser calls you back.',
    categories: ['money_debt_advice', 'benefits_advice'], needs: ['debt', 'money_worries', 'benefits'], audience: [], delivery: ['telephone'],
    area: { near: 'leeds', kind: 'radius', km: 15 }, sessions: [], phone: '0113 496 0500', min_age: 18, group_size: 'one_to_one', self_referral: true },
  { key: 'peckham-home-visits', organisation: 'Peckham Together', name: 'Peckham home visiting befrienders',
    description: 'A volunteer visits you at home for an hour or two each week: a chat, a cup of tea, maybe a walk to the shops. For housebound people ' +
      'in Peckham and Nunhead.',
    categories: ['befriending'], needs: ['loneliness', 'mobility'], audience: ['older_people', 'disabled_people'], delivery: ['home_visit', 'telephone'],
    area: { near: 'peckham', kind: 'radius', km: 4 }, sessions: [], phone: '020 7946 0777', group_size: 'one_to_one', self_referral: true,
    by_arrangement: true },
  { key: 'bristol-digital-buddies', organisation: 'Bristol Community Links', name: 'Bristol Digital Buddies',
    description: 'Help with getting online by phone or video call, then one-to-one sessions to build your confidence with your own device.',
    categories: ['digital_skills', 'befriending'], needs: ['digital_exclusion', 'loneliness'], audience: ['older_people'], delivery: ['online', 'telephone'],
    area: { near: 'bristol', kind: 'polygon', km: 8 }, sessions: [{ frequency: 'weekly', days: ['wed'], starts: '10:00', ends: '12:00' }],
    group_size: 'one_to_one', self_referral: true },
  { key: 'swansea-carers-chat', organisation: 'Swansea Community Connectors', name: 'Sgwrs Gofalwyr / Carers Chat',
    description: 'A fortnightly evening video call for unpaid carers in Swansea, in Welsh and English.',
    categories: ['carers_support', 'peer_support'], needs: ['caring', 'stress', 'loneliness'], audience: ['carers'], delivery: ['online'],
    area: { near: 'swansea', kind: 'polygon', km: 10 }, sessions: [{ frequency: 'fortnightly', days: ['tue'], starts: '19:30', ends: '20:30' }],
    languages: ['cy', 'en'], group_size: 'small', self_referral: true },
  { key: 'glasgow-wellbeing-calls', organisation: 'Southside Connects', name: 'Southside wellbeing calls',
    description: 'A weekly phone call from a wellbeing worker for people waiting for mental health support in the Southside. Paused while we recruit ' +
      'volunteers.',
    categories: ['mental_wellbeing', 'befriending'], needs: ['low_mood', 'anxiety', 'loneliness'], audience: [], delivery: ['telephone'],
    area: { near: 'glasgow', kind: 'radius', km: 6 }, sessions: [{ frequency: 'weekly', days: ['mon', 'wed'], starts: '13:00', ends: '16:00' }],
    phone: '0141 496 0555', group_size: 'one_to_one', self_referral: false, status: 'paused' },
  { key: 'night-owls', organisation: 'Night Owls Listening', name: 'Night Owls: late-night listening line',
    description: 'Trained volunteers to talk to, or text with, late on Friday and Saturday nights, when the week feels longest. No need to be in crisis: ' +
      'just someone to talk to.',
    categories: ['befriending', 'mental_wellbeing'], needs: ['loneliness', 'low_mood', 'anxiety'], audience: [], delivery: ['telephone', 'text_chat'],
    area: NATIONAL, sessions: [{ frequency: 'weekly', days: ['fri', 'sat'], starts: '22:00', ends: '02:00' }],
    phone: '0808 157 0202', text: '07700 900202', min_age: 18, group_size: 'one_to_one', self_referral: true, accessibility: ['no_phone_needed'] },
  { key: 'always-there', organisation: 'Always There', name: 'Always There: 24-hour listening line',
    description: 'A listening line open day and night, every day of the year, by phone or text. Whatever you are going through, someone will listen.',
    categories: ['mental_wellbeing', 'befriending'], needs: ['loneliness', 'low_mood', 'anxiety', 'stress'], audience: [], delivery: ['telephone', 'text_chat'],
    area: NATIONAL, sessions: [], phone: '0808 157 0303', text: '07700 900303', group_size: 'one_to_one', self_referral: true, always_open: true,
    accessibility: ['no_phone_needed'] },
]
