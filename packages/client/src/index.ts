import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema.ts'

export type { components, paths }
/** A named schema of the public API, e.g. `Schema<'Problem'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name]

export interface ClientOptions {
  /** The web entry point, e.g. http://localhost:4100. */
  baseUrl: string
  /** Returns the current access token, if signed in; called before every request. */
  accessToken?: () => string | undefined | Promise<string | undefined>
  fetch?: typeof fetch
}

/** The typed client of the public API, generated from openapi/commons.json. */
export type CommonsClient = Client<paths>

/** Creates a typed client; every call is checked against the OpenAPI document at compile time. */
export function createCommonsClient(opts: ClientOptions): CommonsClient {
  const client = createClient<paths>({ baseUrl: opts.baseUrl, fetch: opts.fetch })
  if (opts.accessToken) {
    const tokenSource = opts.accessToken
    const auth: Middleware = {
      async onRequest({ request }) {
        const token = await tokenSource()
        if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`)
        return request
      },
    }
    client.use(auth)
  }
  return client
}
