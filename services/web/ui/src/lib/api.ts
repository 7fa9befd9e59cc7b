import { type CommonsClient, createCommonsClient, type Schema } from '@commons/client'
import { lang, readStorage, writeStorage } from './i18n.ts'
import { describeFieldError, describeProblem } from './problem-text.ts'
import { createStore } from './store.ts'

export type Problem = Schema<'Problem'>
export type User = Schema<'User'>
export type Membership = Schema<'Membership'>

export interface Auth {
  status: 'restoring' | 'signed-out' | 'signed-in'
  user?: User
  memberships: Membership[]
  moderator: boolean
  /** A newer privacy notice is waiting to be accepted (asked above every page until it is). */
  mustAcceptNotice?: boolean
}

const REFRESH_KEY = 'commons.refreshToken'

/** Who is signed in. The access token lives only in memory; the refresh token in localStorage. */
export const auth = createStore<Auth>({
  status: readStorage(REFRESH_KEY) ? 'restoring' : 'signed-out',
  memberships: [],
  moderator: false,
})

let accessToken: string | undefined
let refreshing: Promise<boolean> | undefined
let restoring: Promise<boolean> | undefined

const bare = createCommonsClient({ baseUrl: window.location.origin })

type SessionBody = Schema<'Session'>

function applySession(session: SessionBody) {
  accessToken = session.accessToken
  // Refresh tokens rotate: the old one is spent the moment the new one is issued.
  writeStorage(REFRESH_KEY, session.refreshToken)
}

function clearSession() {
  accessToken = undefined
  writeStorage(REFRESH_KEY, null)
  auth.set({ status: 'signed-out', memberships: [], moderator: false })
}

const RETRIES_ON_429 = 5
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** How long a 429 asks to wait: Retry-After in seconds (or an HTTP date), 1 s when absent, at most 60 s. */
function retryAfterMs(response: Response): number {
  const header = response.headers.get('retry-after') ?? ''
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) && header !== '' ? seconds * 1000 : Date.parse(header) - Date.now()
  return Math.min(Math.max(Number.isFinite(ms) ? ms : 1000, 250), 60_000)
}

/**
 * Trades the stored refresh token for a new session. One refresh at a time: concurrent 401s share it,
 * because a second use of the same refresh token would be taken for theft and revoke the whole family.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = readStorage(REFRESH_KEY)
    if (!refreshToken) return false
    try {
      let answer = await bare.POST('/v1/auth/refresh', { body: { refreshToken } })
      // Rate limited (several tabs, a flaky network): the token was not spent, so wait as told and retry,
      // rather than treat the session as over.
      for (let tries = 0; answer.response.status === 429 && tries < RETRIES_ON_429; tries++) {
        await sleep(retryAfterMs(answer.response))
        answer = await bare.POST('/v1/auth/refresh', { body: { refreshToken } })
      }
      const { data, error } = answer
      if (data) {
        applySession(data)
        return true
      }
      const code = (error as Problem | undefined)?.code
      if (code === 'refresh_token_reused' || code === 'invalid_refresh_token' || code === 'validation_failed') {
        clearSession()
      }
      return false
    } catch {
      return false
    }
  })().finally(() => {
    refreshing = undefined
  })
  return refreshing
}

/** fetch that refreshes the session once and retries when the access token has expired. */
async function fetchWithRefresh(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  // Right after a page load the stored session is being restored: wait, so the request carries its token.
  if (restoring) await restoring
  const request = new Request(input, init)
  const retry = request.clone()
  const response = await fetch(request)
  if (response.status !== 401 || !accessToken) return response
  const problem = (await response
    .clone()
    .json()
    .catch(() => undefined)) as Problem | undefined
  if ((problem?.code !== 'token_expired' && problem?.code !== 'token_revoked') || !(await refreshSession()))
    return response
  retry.headers.set('authorization', `Bearer ${accessToken}`)
  return fetch(retry)
}

/** The typed API client every page uses. */
export const api: CommonsClient = createCommonsClient({
  baseUrl: window.location.origin,
  accessToken: () => accessToken,
  fetch: fetchWithRefresh as typeof fetch,
})

/** Reloads the signed-in member and their memberships. */
export async function loadMe(): Promise<void> {
  const { data } = await api.GET('/v1/me')
  if (data)
    auth.set({
      status: 'signed-in',
      user: data.user,
      memberships: data.memberships,
      moderator: data.moderator,
      mustAcceptNotice: data.mustAcceptNotice ?? false,
    })
  else if (!accessToken) clearSession()
}

/** On page load: a stored refresh token becomes a session again. */
export async function restoreSession(): Promise<void> {
  if (!readStorage(REFRESH_KEY)) return
  restoring = refreshSession()
  const restored = await restoring.finally(() => {
    restoring = undefined
  })
  if (restored) await loadMe()
  else if (auth.get().status === 'restoring') auth.set({ status: 'signed-out', memberships: [], moderator: false })
}

export async function signIn(session: SessionBody): Promise<void> {
  applySession(session)
  await loadMe()
}

/** Keeps a fresh access token handed out by the API (e.g. after creating an organization). */
export function setAccessToken(token: string) {
  accessToken = token
}

export async function signOut(): Promise<void> {
  const refreshToken = readStorage(REFRESH_KEY)
  if (refreshToken) await bare.POST('/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined)
  clearSession()
}

/**
 * Field errors of a problem, keyed by the field path without the `body.` prefix, each in the person's
 * language and naming its field (the server's own message is English).
 */
export function fieldErrorsOf(problem: Problem | undefined): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const e of problem?.errors ?? []) {
    const path = e.path.replace(/^(body|querystring|params)\.?/, '')
    errors[path || '_'] ??= describeFieldError(path, e.message, lang.get())
  }
  return errors
}

/** The sentence for a problem in the person's language, chosen by its code; never the server's `detail`. */
export function problemText(problem: unknown): string {
  return describeProblem(problem, lang.get())
}

/** The problem of a failed call (the OpenAPI documents declare no error bodies, so the type is widened here). */
export function problemOf(result: { error?: unknown }): Problem | undefined {
  return result.error as Problem | undefined
}

/** Uploads one photo for an organization (multipart, which the typed client does not build). */
export async function uploadPhoto(
  organizationId: string,
  file: Blob,
): Promise<{ data?: Schema<'UploadedPhoto'>; error?: Problem }> {
  const form = new FormData()
  form.append('file', file)
  const response = await fetchWithRefresh(`/v1/organizations/${organizationId}/photos`, {
    method: 'POST',
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    body: form,
  })
  const body = await response.json().catch(() => undefined)
  return response.ok ? { data: body } : { error: body as Problem }
}
