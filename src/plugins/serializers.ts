import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

/**
 * Fastify's response serializer factory (fast-json-stringify, as Fastify builds it), with
 * each distinct response schema compiled once. Every route answers its errors with the same
 * few problem schemas, and each compilation checks all the shared schemas again: without the
 * cache, starting the app spent seconds compiling the same serializers over and over.
 */
export function cachedSerializers(externalSchemas: unknown, serializerOpts: unknown) {
  const compile = SerializerSelector()(externalSchemas as any, serializerOpts as any)
  const compiled = new Map<string, ReturnType<typeof compile>>()
  return (route: Parameters<typeof compile>[0]) => {
    const key = JSON.stringify(route.schema)
    let serializer = compiled.get(key)
    if (!serializer) {
      serializer = compile(route)
      compiled.set(key, serializer)
    }
    return serializer
  }
}
