import { ForbiddenError } from '../errors.ts'

/** Who may write what. The HTTP edge finds the actor (src/plugins/auth.ts); the use-cases ask here. */

/** analyst: reads, and the demand figures (/v1/insights/demand); writes nothing. */
export type Role = 'admin' | 'publisher' | 'reader' | 'analyst'

/** Who is calling: the key's id and role, and for a publisher its organisation. */
export interface Actor {
  keyId: string
  role: Role
  organisationId: string | null
}

/** Publishers may write only their own organisation's records; admins any. */
export function assertCanWrite(actor: Actor, organisationId: string, what = 'record'): void {
  if (actor.role === 'admin') return
  if (actor.role === 'publisher' && actor.organisationId === organisationId) return
  throw new ForbiddenError(actor.role === 'publisher'
    ? `This ${what} belongs to another organisation: a publisher key may change only its own organisation's records.`
    : `A ${actor.role} key cannot change this ${what}.`)
}
