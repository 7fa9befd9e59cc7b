import {
  AttachPhoneBody,
  LoginBody,
  Me,
  PhoneCodeBody,
  PhoneCodeSent,
  PhoneLoginBody,
  RefreshBody,
  RegisterBody,
  ResendVerificationBody,
  Session,
  User,
  VerificationSent,
  VerifyEmailBody,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import { type AuthDeps, login, logout, me, refresh } from './auth.service.ts'
import { register, resendVerification, verifyEmail } from './email-verification.ts'
import { attachPhone, phoneLogin, requestPhoneCode } from './phone-sign-in.ts'

/** Account routes: register, email verification, login, refresh, logout, me; and the JWKS other services verify tokens with. */
export function registerAuthRoutes(
  app: App,
  deps: AuthDeps,
  opts: { authRateLimitMax: number; refreshRateLimitMax: number },
) {
  // Per client IP, on top of the service-wide limit: slows password guessing and account farming.
  const strict = { rateLimit: { max: opts.authRateLimitMax, timeWindow: '1 minute' } }
  // A refresh token is a secret nobody guesses, so its limit guards capacity, not accounts: a whole office
  // behind one NAT refreshes in the same minutes, and a 429 here would sign people out.
  const refreshLimit = { rateLimit: { max: opts.refreshRateLimitMax, timeWindow: '1 minute' } }
  const tags = ['auth']

  app.post(
    '/v1/auth/register',
    {
      config: strict,
      schema: {
        operationId: 'register',
        summary: 'Start a sign-up: the answer is the same for every email; the mail says what comes next',
        tags,
        body: RegisterBody,
        response: { 202: VerificationSent },
      },
    },
    async (request, reply) => reply.code(202).send(await register(deps, request.body)),
  )
  app.post(
    '/v1/auth/verify-email',
    {
      config: strict,
      schema: {
        operationId: 'verifyEmail',
        summary: 'Verify the email with the token from the mailed link, and sign in',
        tags,
        body: VerifyEmailBody,
        response: { 201: Session },
      },
    },
    async (request, reply) => reply.code(201).send(await verifyEmail(deps, request.body.token)),
  )
  app.post(
    '/v1/auth/verify-email/resend',
    {
      config: strict,
      schema: {
        operationId: 'resendVerification',
        summary: 'Mail another verification link to an unverified account; the same answer for every email',
        tags,
        body: ResendVerificationBody,
        response: { 202: VerificationSent },
      },
    },
    async (request, reply) => reply.code(202).send(await resendVerification(deps, request.body.email)),
  )
  app.post(
    '/v1/auth/login',
    { config: strict, schema: { operationId: 'login', tags, body: LoginBody, response: { 200: Session } } },
    async (request) => login(deps, request.body),
  )
  app.post(
    '/v1/auth/refresh',
    {
      config: refreshLimit,
      schema: { operationId: 'refreshSession', tags, body: RefreshBody, response: { 200: Session } },
    },
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
  app.post(
    '/v1/auth/phone/code',
    {
      config: strict,
      schema: {
        operationId: 'requestPhoneCode',
        summary: 'Text a one-time sign-in code to a mainland mobile number (one a minute, five an hour)',
        tags,
        body: PhoneCodeBody,
        response: { 202: PhoneCodeSent },
      },
    },
    async (request, reply) => reply.code(202).send(await requestPhoneCode(deps, request.body.phone)),
  )
  app.post(
    '/v1/auth/phone/login',
    {
      config: strict,
      schema: {
        operationId: 'phoneLogin',
        summary: 'Sign in with a mobile number and the code texted to it',
        tags,
        body: PhoneLoginBody,
        response: { 200: Session },
      },
    },
    async (request) => phoneLogin(deps, request.body),
  )
  app.put(
    '/v1/me/phone',
    {
      config: strict,
      schema: {
        operationId: 'attachPhone',
        summary: 'Prove a mobile number with its code; it then signs this account in',
        tags,
        security: [{ bearerAuth: [] }],
        body: AttachPhoneBody,
        response: { 200: User },
      },
    },
    async (request) => attachPhone(deps, requireActor(request), request.body),
  )
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return deps.keys.jwks()
  })
}
