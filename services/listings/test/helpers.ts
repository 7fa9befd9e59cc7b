import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { App } from '@commons/service-kit'
import { parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import type { Test } from 'tap'
import { buildApp, type ListingsOverrides, migrate } from '../src/app.ts'
import type { Mail, MailChannel } from '../src/auth/mail.ts'
import { ListingsConfig } from '../src/config.ts'

export const SERVICE_TOKEN = 's'.repeat(40)

/**
 * A listings app on a fresh database cloned from the migrated template; closed when `t` ends. Overrides go to
 * buildApp (a test clock, export services).
 */
export async function testApp(
  t: Test,
  env: Record<string, string> = {},
  overrides: ListingsOverrides = {},
): Promise<{ app: App; databaseUrl: string }> {
  const databaseUrl = await testDatabase(t, {
    template: 'listings',
    prepare: (url) => migrate({ DATABASE_URL: url }),
  })
  const dataDir = await mkdtemp(join(tmpdir(), 'listings-test-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const config = parseConfig(ListingsConfig, {
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    RUN_WORKERS: 'false',
    AUTH_RATE_LIMIT_MAX: '1000',
    ...env,
  })
  const app = await buildTestApp(config, overrides)
  t.teardown(() => app.close())
  return { app, databaseUrl }
}

/** The mails each test app sent, newest last (tests read verification links from them). */
const mailboxes = new WeakMap<App, Mail[]>()

/** buildApp with a mail channel that keeps what it sends, so `signUp` and `mailTo` can read the mails. */
export async function buildTestApp(config: ListingsConfig, overrides: ListingsOverrides = {}): Promise<App> {
  const sent: Mail[] = []
  const mail: MailChannel = {
    name: 'test',
    async send(message) {
      sent.push(message)
    },
  }
  const app = await buildApp(config, { mail, ...overrides })
  mailboxes.set(app, sent)
  return app
}

/** The mails the app sent to `email`, oldest first. */
export function mailTo(app: App, email: string): Mail[] {
  const sent = mailboxes.get(app)
  if (!sent) throw new Error('this app was not built with buildTestApp, so its mails are not kept')
  return sent.filter((m) => m.to === email)
}

/** The token of the newest verification link mailed to `email`. */
export function verificationToken(app: App, email: string): string {
  const links = mailTo(app, email).flatMap((m) => [...m.text.matchAll(/\/verify-email\?token=([\w-]+)/g)])
  const token = links.at(-1)?.[1]
  if (!token) throw new Error(`no verification link was mailed to ${email}`)
  return token
}

let counter = 0

/**
 * Signs a user up through the API as a person does: registers, opens the link from the verification mail
 * and returns the session that signs them in.
 */
export async function signUp(app: App, overrides: { email?: string; displayName?: string; password?: string } = {}) {
  counter += 1
  const email = overrides.email ?? `user${counter}-${Date.now()}@example.org`
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: {
      email,
      password: overrides.password ?? 'correct horse battery',
      displayName: overrides.displayName ?? `用户${counter}`,
    },
  })
  if (res.statusCode !== 202) throw new Error(`register failed: ${res.body}`)
  const verified = await app.inject({
    method: 'POST',
    url: '/v1/auth/verify-email',
    payload: { token: verificationToken(app, email) },
  })
  if (verified.statusCode !== 201) throw new Error(`verify email failed: ${verified.body}`)
  return verified.json() as { user: { id: string; email: string }; accessToken: string; refreshToken: string }
}

/** Creates an organization as the signed-in user; returns it and the owner's fresh token. */
export async function createOrganization(app: App, accessToken: string, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { authorization: `Bearer ${accessToken}` },
    payload: {
      name: '浦东新区某街道党群服务中心',
      kind: 'party_branch',
      district: '浦东新区',
      city: '上海',
      ...overrides,
    },
  })
  if (res.statusCode !== 201) throw new Error(`create organization failed: ${res.body}`)
  return res.json() as { organization: { id: string; version: number }; accessToken: string }
}

/** A user who owns an organization: the common starting point of listing tests. */
export async function orgOwner(app: App, overrides: Record<string, unknown> = {}) {
  const session = await signUp(app)
  const { organization, accessToken } = await createOrganization(app, session.accessToken, overrides)
  return { user: session.user, organization, token: accessToken, refreshToken: session.refreshToken }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/**
 * Makes someone a member the only way there is: an admin invites their email and they accept. Returns the
 * accepted invitation and the invitee's fresh token (their earlier token works too: listings reads roles
 * from the database).
 */
export async function joinOrganization(
  app: App,
  adminToken: string,
  organizationId: string,
  invitee: { user: { email: string }; accessToken: string },
  role: 'owner' | 'admin' | 'member' = 'member',
) {
  const invited = await app.inject({
    method: 'POST',
    url: `/v1/organizations/${organizationId}/members`,
    headers: bearer(adminToken),
    payload: { email: invitee.user.email, role },
  })
  if (invited.statusCode !== 202) throw new Error(`invite failed: ${invited.body}`)
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${invited.json().id}/accept`,
    headers: bearer(invitee.accessToken),
  })
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`)
  return accepted.json() as { invitation: { id: string; role: string }; accessToken: string }
}
