import Type from 'typebox'
import { ABOUT } from '../domain/about.ts'

export const RootSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  version: Type.String(),
  links: Type.Object({ docs: Type.String(), openapi: Type.String(), search: Type.String(), vocabularies: Type.String(), oruk: Type.String() }),
  attribution: Type.Array(Type.String()),
}, { $id: 'ApiRoot', examples: [ABOUT] })

export const rootSchemas = [RootSchema]
