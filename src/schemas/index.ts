import type { TSchema } from 'typebox'
import { commonSchemas } from './common.ts'
import { vocabularySchemas } from './vocabularies.ts'
import { orukSchemas } from './oruk.ts'

/**
 * Every schema with a $id, registered once: Fastify (for OpenAPI components) and both
 * Ajv instances (for validation) read this list. Add a resource's schemas here.
 */
export const allSchemas: TSchema[] = [
  ...commonSchemas,
  ...vocabularySchemas,
  ...orukSchemas,
]
