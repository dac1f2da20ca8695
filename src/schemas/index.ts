import type { TSchema } from 'typebox'
import { commonSchemas } from './common.ts'
import { vocabularySchemas } from './vocabularies.ts'
import { organisationSchemas } from './organisation.ts'
import { keySchemas } from './key.ts'
import { venueSchemas } from './venue.ts'
import { schemeSchemas } from './scheme.ts'
import { searchSchemas } from './search.ts'
import { orukSchemas } from './oruk.ts'
import { exportSchemas } from './export.ts'
import { rootSchemas } from './root.ts'
import { freshnessSchemas } from './freshness.ts'
import { feedSchemas } from './feed.ts'
import { webhookSchemas } from './webhook.ts'
import { calendarSchemas } from './calendar.ts'
import { openactiveSchemas } from './openactive.ts'
import { insightsSchemas } from './insights.ts'

/**
 * Every schema with a $id, registered once: Fastify (for OpenAPI components) and both
 * Ajv instances (for validation) read this list. Add a resource's schemas here.
 */
export const allSchemas: TSchema[] = [
  ...commonSchemas,
  ...vocabularySchemas,
  ...organisationSchemas,
  ...keySchemas,
  ...venueSchemas,
  ...schemeSchemas,
  ...searchSchemas,
  ...orukSchemas,
  ...exportSchemas,
  ...rootSchemas,
  ...freshnessSchemas,
  ...feedSchemas,
  ...webhookSchemas,
  ...calendarSchemas,
  ...openactiveSchemas,
  ...insightsSchemas,
]
