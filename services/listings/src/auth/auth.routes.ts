import { LoginBody, Me, RefreshBody, RegisterBody, Session } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import { type AuthDeps, login, logout, me, refresh, register } from './auth.service.ts'

/** Account routes: register, login, refresh, logout, me; and the JWKS other services verify tokens with. */
export function registerAuthRoutes(app: App, deps: AuthDeps, opts: { authRateLimitMax: number }) {
  // Per client IP, on top of the service-wide limit: slows password guessing and account farming.
  const strict = { rateLimit: { max: opts.authRateLimitMax, timeWindow: '1 minute' } }
  const tags = ['auth']

  app.post(
    '/v1/auth/register',
    {
      config: strict,
      schema: { operationId: 'register', tags, body: RegisterBody, response: { 201: Session } },
    },
    async (request, reply) => reply.code(201).send(await register(deps, request.body)),
  )
  app.post(
    '/v1/auth/login',
    { config: strict, schema: { operationId: 'login', tags, body: LoginBody, response: { 200: Session } } },
    async (request) => login(deps, request.body),
  )
  app.post(
    '/v1/auth/refresh',
    { config: strict, schema: { operationId: 'refreshSession', tags, body: RefreshBody, response: { 200: Session } } },
    async (request) => refresh(deps, request.body.refreshToken),
  )
  app.post(
    '/v1/auth/logout',
    { schema: { operationId: 'logout', tags, body: RefreshBody, response: { 204: z.undefined() } } },
    async (request, reply) => {
      await logout(deps, request.body.refreshToken)
      return reply.code(204).send()
    },
  )
  app.get(
    '/v1/me',
    { schema: { operationId: 'getMe', tags, security: [{ bearerAuth: [] }], response: { 200: Me } } },
    async (request) => me(deps, requireActor(request)),
  )
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return deps.keys.jwks()
  })
}
