export { buildApp, type Upstreams, upstreamsOf } from './app.ts'
export { WebConfig } from './config.ts'
export { mergeOpenApi, type OpenApiDocument } from './openapi.ts'
export { buildUi, DEFAULT_UI_DIR, ensureUiBuilt, uiBuildIsStale } from './ui-build.ts'
