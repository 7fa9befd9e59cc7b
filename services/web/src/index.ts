export { buildApp, type Upstreams, upstreamsOf } from './app.ts'
export { WebConfig } from './config.ts'
export { mergeOpenApi, type OpenApiDocument } from './openapi.ts'
