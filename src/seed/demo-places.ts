/**
 * The demo's towns: the postcode sectors its venues are placed in (real units picked from
 * the Code-Point data), local area names, and plausible community venues with their
 * access. Phone numbers are from Ofcom's ranges reserved for drama, so none is real.
 */
export type VenueKind = 'hall' | 'library' | 'cafe' | 'outdoor' | 'garden' | 'workshop' | 'leisure'

export interface DemoVenue { key: string; name: string; street: string; kind: VenueKind; accessibility: string[] }

export interface DemoTown {
  key: string
  town: string
  areas: string[]
  sectors: string[]
  umbrella: { name: string; description: string }
  phone: (n: number) => string
  languages: string[]
  venues: DemoVenue[]
  /** How many invented groups to make here. */
  groups: number
}

const pad = (n: number, w: number) => String(n % 10 ** w).padStart(w, '0')
const FULL = ['step_free', 'wheelchair_accessible', 'accessible_toilet']

export const TOWNS: DemoTown[] = [
  {
    key: 'peckham', town: 'London', areas: ['Peckham', 'Nunhead', 'Peckham Rye', 'Camberwell', 'Bellenden'],
    sectors: ['SE15 1', 'SE15 2', 'SE15 3', 'SE15 4', 'SE15 5', 'SE15 6', 'SE5 8', 'SE22 9'],
    umbrella: { name: 'Peckham Together',
      description: 'A neighbourhood charity connecting people in Peckham and Nunhead with local groups, volunteers and each other.' },
    phone: (n) => `020 7946 0${pad(n, 3)}`, languages: ['yo', 'es', 'pt', 'bn', 'tw'], groups: 24,
    venues: [
      { key: 'library', name: 'Peckham Library, Meeting Room 2', street: 'Peckham Hill Street', kind: 'library',
        accessibility: [...FULL, 'hearing_loop', 'large_print', 'public_transport_nearby', 'assistance_dogs'] },
      { key: 'bellenden', name: 'Bellenden Community Centre', street: 'Bellenden Road', kind: 'hall',
        accessibility: ['step_free', 'accessible_toilet', 'seating', 'public_transport_nearby'] },
      { key: 'st-giles', name: "St Giles' Church Hall", street: 'Benhill Road', kind: 'hall', accessibility: ['seating', 'hearing_loop'] },
      { key: 'methodist', name: 'Rye Lane Methodist Hall', street: 'Rye Lane', kind: 'hall',
        accessibility: ['step_free', 'hearing_loop', 'seating', 'public_transport_nearby'] },
      { key: 'rye-cafe', name: 'Peckham Rye Park Café', street: 'Strakers Road', kind: 'cafe',
        accessibility: ['step_free', 'accessible_toilet', 'assistance_dogs', 'seating'] },
      { key: 'rye-park', name: 'Peckham Rye Park (meet at the bandstand)', street: 'Peckham Rye', kind: 'outdoor', accessibility: ['step_free', 'seating'] },
      { key: 'garden', name: 'Nunhead Community Garden', street: 'Ivydale Road', kind: 'garden', accessibility: ['seating'] },
      { key: 'workshop', name: 'Consort Road Workshop', street: 'Consort Road', kind: 'workshop', accessibility: ['step_free', 'accessible_toilet'] },
      { key: 'pulse', name: 'Peckham Pulse Leisure Centre', street: 'Melon Road', kind: 'leisure',
        accessibility: [...FULL, 'changing_places', 'blue_badge_parking', 'hearing_loop'] },
      { key: 'upstairs', name: 'The Upstairs Room, Choumert Road', street: 'Choumert Road', kind: 'cafe', accessibility: ['quiet_space'] },
    ],
  },
  {
    key: 'leeds', town: 'Leeds', areas: ['Chapeltown', 'Harehills', 'Hyde Park', 'Beeston', 'Headingley'],
    sectors: ['LS6 1', 'LS6 2', 'LS6 3', 'LS7 3', 'LS7 4', 'LS8 5', 'LS9 6', 'LS11 6', 'LS11 7'],
    umbrella: { name: 'Leeds Neighbours Network', description: 'Community support for older and isolated people across north and south Leeds.' },
    phone: (n) => `0113 496 0${pad(n, 3)}`, languages: ['pa', 'ur', 'pl', 'ro'], groups: 22,
    venues: [
      { key: 'chapeltown', name: 'Chapeltown Community Centre', street: 'Chapeltown Road', kind: 'hall', accessibility: [...FULL, 'hearing_loop', 'seating'] },
      { key: 'hyde-park', name: 'Hyde Park Methodist Hall', street: 'Woodsley Road', kind: 'hall', accessibility: ['step_free', 'seating'] },
      { key: 'beeston-lib', name: 'Beeston Library', street: 'Town Street', kind: 'library',
        accessibility: [...FULL, 'large_print', 'public_transport_nearby'] },
      { key: 'potternewton', name: 'Potternewton Park Café', street: 'Harehills Avenue', kind: 'cafe', accessibility: ['step_free', 'accessible_toilet'] },
      { key: 'woodhouse', name: 'Woodhouse Moor (meet at the statue)', street: 'Moorland Road', kind: 'outdoor', accessibility: ['step_free'] },
      { key: 'allotment', name: 'Harehills Lane Allotments', street: 'Harehills Lane', kind: 'garden', accessibility: [] },
      { key: 'shed', name: 'Beeston Shed', street: 'Cross Flatts Grove', kind: 'workshop', accessibility: ['step_free', 'blue_badge_parking'] },
      { key: 'leisure', name: 'Fearnville Leisure Centre', street: 'Oakwood Lane', kind: 'leisure',
        accessibility: [...FULL, 'changing_places', 'blue_badge_parking'] },
      { key: 'headingley', name: 'Headingley Arts Centre', street: 'North Lane', kind: 'hall', accessibility: ['hearing_loop', 'quiet_space'] },
    ],
  },
  {
    key: 'bristol', town: 'Bristol', areas: ['Bedminster', 'Easton', 'Montpelier', 'Horfield', "St Paul's"],
    sectors: ['BS3 1', 'BS3 4', 'BS5 0', 'BS5 6', 'BS6 5', 'BS6 6', 'BS7 8', 'BS2 9'],
    umbrella: { name: 'Bristol Community Links', description: 'Helping people in inner-city Bristol find company, activity and practical help close to home.' },
    phone: (n) => `0117 496 0${pad(n, 3)}`, languages: ['so', 'pl', 'ur', 'ar'], groups: 20,
    venues: [
      { key: 'easton', name: 'Easton Community Centre', street: 'Kilburn Street', kind: 'hall',
        accessibility: [...FULL, 'hearing_loop', 'public_transport_nearby'] },
      { key: 'bedminster-lib', name: 'Bedminster Library', street: 'East Street', kind: 'library', accessibility: [...FULL, 'large_print'] },
      { key: 'chapel', name: 'Montpelier Chapel Rooms', street: 'Richmond Road', kind: 'hall', accessibility: ['seating'] },
      { key: 'cafe', name: 'Greenbank Park Café', street: 'Greenbank Road', kind: 'cafe', accessibility: ['step_free', 'seating', 'assistance_dogs'] },
      { key: 'park', name: 'Eastville Park (meet at the lake gate)', street: 'Fishponds Road', kind: 'outdoor', accessibility: ['step_free'] },
      { key: 'garden', name: 'St Werburghs City Farm Garden', street: 'Watercress Road', kind: 'garden', accessibility: ['step_free', 'accessible_toilet'] },
      { key: 'shed', name: 'Horfield Workshop', street: 'Gloucester Road', kind: 'workshop', accessibility: ['step_free'] },
      { key: 'leisure', name: 'Easton Leisure Centre', street: 'Thrissell Street', kind: 'leisure',
        accessibility: [...FULL, 'changing_places', 'blue_badge_parking', 'hearing_loop'] },
    ],
  },
  {
    key: 'glasgow', town: 'Glasgow', areas: ['Govanhill', 'Strathbungo', 'Pollokshields', 'Queens Park', 'Battlefield'],
    sectors: ['G41 1', 'G41 2', 'G42 7', 'G42 8', 'G42 9'],
    umbrella: { name: 'Southside Connects', description: "Connecting people in Glasgow's Southside with local groups, learning and support." },
    phone: (n) => `0141 496 0${pad(n, 3)}`, languages: ['ur', 'pa', 'sk', 'ro', 'gd'], groups: 16,
    venues: [
      { key: 'baths', name: 'Govanhill Baths Community Room', street: 'Calder Street', kind: 'hall',
        accessibility: ['step_free', 'accessible_toilet', 'seating'] },
      { key: 'library', name: 'Govanhill Library', street: 'Langside Road', kind: 'library', accessibility: [...FULL, 'large_print', 'hearing_loop'] },
      { key: 'church', name: 'Strathbungo Parish Church Hall', street: 'Queen Square', kind: 'hall', accessibility: ['seating', 'hearing_loop'] },
      { key: 'glasshouse', name: 'Queens Park Glasshouse Café', street: 'Langside Road', kind: 'cafe', accessibility: ['step_free', 'accessible_toilet'] },
      { key: 'park', name: 'Queens Park (meet at the flagpole)', street: 'Victoria Road', kind: 'outdoor', accessibility: [] },
      { key: 'garden', name: 'Pollokshields Growing Space', street: 'Albert Drive', kind: 'garden', accessibility: ['step_free'] },
      { key: 'shed', name: 'Battlefield Shed', street: 'Battlefield Road', kind: 'workshop', accessibility: ['step_free', 'accessible_toilet'] },
      { key: 'leisure', name: 'Castlemilk Road Sports Centre', street: 'Castlemilk Road', kind: 'leisure', accessibility: [...FULL, 'changing_places'] },
    ],
  },
  {
    key: 'swansea', town: 'Swansea', areas: ['Uplands', 'Sandfields', 'St Thomas', 'Brynmill', 'Mount Pleasant'],
    sectors: ['SA1 1', 'SA1 3', 'SA1 4', 'SA1 6', 'SA1 8', 'SA2 0'],
    umbrella: { name: 'Swansea Community Connectors',
      description: 'Local community connectors helping people across Swansea find groups and support that suit them (Cymraeg a Saesneg).' },
    phone: (n) => `01632 960${pad(n, 3)}`, languages: ['cy', 'cy', 'ar', 'pl'], groups: 16,
    venues: [
      { key: 'library', name: 'Swansea Central Library, Community Room', street: 'Oystermouth Road', kind: 'library',
        accessibility: [...FULL, 'hearing_loop', 'large_print', 'changing_places'] },
      { key: 'st-thomas', name: 'St Thomas Community Centre', street: 'Port Tennant Road', kind: 'hall',
        accessibility: ['step_free', 'accessible_toilet', 'seating'] },
      { key: 'uplands', name: 'Uplands Chapel Vestry', street: 'Walter Road', kind: 'hall', accessibility: ['seating'] },
      { key: 'brynmill', name: 'Brynmill Park Café', street: 'Brynmill Lane', kind: 'cafe', accessibility: ['step_free', 'seating'] },
      { key: 'seafront', name: 'Swansea Bay Promenade (meet at the Guildhall steps)', street: 'Oystermouth Road', kind: 'outdoor',
        accessibility: ['step_free', 'seating'] },
      { key: 'garden', name: 'Townhill Community Garden', street: 'Gwent Road', kind: 'garden', accessibility: [] },
      { key: 'shed', name: 'Sandfields Shed', street: 'Victoria Road', kind: 'workshop', accessibility: ['step_free'] },
      { key: 'leisure', name: 'Swansea Bay Leisure Pool', street: 'Oystermouth Road', kind: 'leisure',
        accessibility: [...FULL, 'changing_places', 'blue_badge_parking'] },
    ],
  },
]
