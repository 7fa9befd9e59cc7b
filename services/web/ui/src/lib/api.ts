import { type CommonsClient, createCommonsClient, type Schema } from '@commons/client'
import { readStorage, writeStorage } from './i18n.ts'
import { createStore } from './store.ts'

export type Problem = Schema<'Problem'>
export type User = Schema<'User'>
export type Membership = Schema<'Membership'>

export interface Auth {
  status: 'restoring' | 'signed-out' | 'signed-in'
  user?: User
  memberships: Membership[]
  moderator: boolean
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

/**
 * Trades the stored refresh token for a new session. One refresh at a time: concurrent 401s share it,
 * because a second use of the same refresh token would be taken for theft and revoke the whole family.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = readStorage(REFRESH_KEY)
    if (!refreshToken) return false
    try {
      const { data, error } = await bare.POST('/v1/auth/refresh', { body: { refreshToken } })
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
  if (problem?.code !== 'token_expired' || !(await refreshSession())) return response
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
  if (data) auth.set({ status: 'signed-in', user: data.user, memberships: data.memberships, moderator: data.moderator })
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

/** Field errors of a problem, keyed by the field path without the `body.` prefix. */
export function fieldErrorsOf(problem: Problem | undefined): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const e of problem?.errors ?? []) {
    const path = e.path.replace(/^(body|querystring|params)\.?/, '')
    errors[path || '_'] ??= e.message
  }
  return errors
}

/** A readable sentence for a problem, falling back to its title. */
export function problemText(problem: unknown): string {
  const p = problem as Problem | undefined
  return p?.detail ?? p?.title ?? String(problem ?? '')
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
