/**
 * The native documents (src/db/documents.ts) that the ORUK mapping reads. Declared here
 * rather than imported from the route schemas so that the mapping does not depend on HTTP.
 */
export interface NativeOrganisation {
  id: string
  name: string
  charity_number?: string
  website?: string
  email?: string
  phone?: string
  description?: string
}

export interface NativeVenue {
  id: string
  organisation_id: string
  name: string
  address: { line1: string; line2?: string; town: string; postcode: string }
  location: { lat: number; lon: number }
  accessibility: string[]
}

export interface NativeSession {
  position: number
  venue_id: string | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'
  days?: string[]
  week_of_month?: number
  date?: string
  starts: string
  ends: string
  valid_from?: string
  valid_to?: string
  except_dates?: string[]
  notes?: string
}

export type NativeServiceArea =
  | { type: 'national' }
  | { type: 'radius'; center: { lat: number; lon: number }; radius_m: number }
  | { type: 'polygon'; geometry: { type: string; coordinates: unknown } }

export interface NativeScheme {
  id: string
  organisation_id: string
  name: string
  description: string
  categories: string[]
  needs: string[]
  audience: string[]
  delivery: string[]
  cost: { free: boolean; amount_pence?: number; per?: string; concessions?: string; description?: string }
  min_age?: number
  max_age?: number
  self_referral: boolean
  accepting_referrals: boolean
  group_size?: string
  languages: string[]
  contact: { phone?: string; email?: string; website?: string }
  accessibility: string[]
  service_area?: NativeServiceArea
  status: 'active' | 'paused' | 'ended'
  last_verified_at: string
  updated_at: string
}

/** What the mapping needs from outside: the UK nation of a postcode (for state_province). */
export interface MappingContext {
  nationOf(postcode: string): string | undefined
}
