import type { ServiceName } from '@commons/contracts'

/** The parts of an OpenAPI document that merging touches. */
export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  paths?: Record<string, Record<string, unknown>>
  components?: Record<string, Record<string, unknown>>
  tags?: Array<{ name: string; description?: string }>
  [key: string]: unknown
}

/**
 * Merges the services' documents into the one public document. Paths never collide (each prefix has one
 * owner); a component defined by two services must be identical, since both come from one contracts
 * package, so a difference means two services run different contract versions and is an error.
 */
export function mergeOpenApi(docs: Partial<Record<ServiceName, OpenApiDocument>>, version = '0.1.0'): OpenApiDocument {
  const merged: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Commons API',
      version,
      description:
        'Commons (共享资源超市): organizations share idle rooms, expertise and volunteer time with community groups. ' +
        'All routes are served from one origin; errors are RFC 9457 problem details with a stable `code`.',
    },
    servers: [{ url: '/' }],
    paths: {},
    components: {},
    tags: [],
  }
  for (const [service, doc] of Object.entries(docs) as Array<[ServiceName, OpenApiDocument]>) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (merged.paths![path]) throw new Error(`Path ${path} is served by two services (second: ${service})`)
      merged.paths![path] = item
    }
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      const target = merged.components![section] ?? {}
      merged.components![section] = target
      for (const [name, value] of Object.entries(entries)) {
        if (name in target && JSON.stringify(target[name]) !== JSON.stringify(value)) {
          throw new Error(`components.${section}.${name} differs between services (second: ${service})`)
        }
        target[name] = value
      }
    }
    for (const tag of doc.tags ?? []) {
      if (!merged.tags!.some((t) => t.name === tag.name)) merged.tags!.push(tag)
    }
  }
  merged.paths = Object.fromEntries(Object.entries(merged.paths!).sort(([a], [b]) => a.localeCompare(b)))
  return merged
}
