import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { ErrorNote } from '../components/feedback.tsx'
import { api, loadMe, type Problem, problemOf, problemText, setAccessToken } from '../lib/api.ts'
import { lang, tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { useStore } from '../lib/store.ts'

type Invitation = Schema<'Invitation'>

const dateOf = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric' }).format(new Date(iso))

/** An organization's open invitations, for its admins: who was invited, until when, and a way to revoke. */
export function OrgInvitations({ orgId, reloadKey }: { orgId: string; reloadKey: number }) {
  const t = useT()
  const language = useStore(lang)
  const invitations = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}/invitations', { params: { path: { id: orgId } } })),
    [orgId, reloadKey],
  )
  const [problem, setProblem] = useState<Problem | undefined>()
  const revoke = async (invitation: Invitation) => {
    const res = await api.DELETE('/v1/organizations/{id}/invitations/{invitationId}', {
      params: { path: { id: orgId, invitationId: invitation.id } },
    })
    setProblem(problemOf(res))
    invitations.reload()
  }
  const items = invitations.data?.items ?? []
  return (
    <div class="invitations">
      <h3 id="invitations-title">{t('invite.pendingTitle')}</h3>
      {invitations.data && items.length === 0 && <p class="muted">{t('invite.none')}</p>}
      {items.length > 0 && (
        <ul class="card-list">
          {items.map((i) => (
            <li key={i.id} class="card invitation">
              <span class="card-title">{i.email}</span>
              <span class="badge">{tEnum('role', i.role)}</span>
              <span class="muted">
                {i.status === 'expired'
                  ? t('invite.expired')
                  : t('invite.expires', { date: dateOf(i.expiresAt, language) })}
              </span>
              <button
                type="button"
                class="btn btn-small"
                aria-label={t('invite.revokeConfirm', { email: i.email })}
                onClick={() => revoke(i)}
              >
                {t('invite.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </div>
  )
}

/** 待处理的邀请: the signed-in person's pending invitations, accepted or declined in place. */
export function MyInvitations() {
  const t = useT()
  const language = useStore(lang)
  const invitations = useLoad(async () => must(await api.GET('/v1/me/invitations')), [])
  const [problem, setProblem] = useState<Problem | undefined>()
  const [joined, setJoined] = useState<string | undefined>()
  const [busy, setBusy] = useState<string | undefined>()
  const answer = async (invitation: Invitation, action: 'accept' | 'decline') => {
    setBusy(invitation.id)
    setProblem(undefined)
    const res = await api.POST(`/v1/invitations/{id}/${action}`, { params: { path: { id: invitation.id } } })
    setBusy(undefined)
    if (problemOf(res)) setProblem(problemOf(res))
    else if (action === 'accept' && res.data && 'accessToken' in res.data) {
      // The answer carries a token that already names the new role; the membership list comes from /v1/me.
      setAccessToken(res.data.accessToken)
      await loadMe()
      setJoined(invitation.organizationName)
    }
    invitations.reload()
  }
  const items = invitations.data?.items ?? []
  if (items.length === 0 && !joined && !problem) return null
  return (
    <section class="section" aria-labelledby="my-invitations-title">
      <h2 id="my-invitations-title">{t('invite.mineTitle')}</h2>
      {joined && (
        <p class="note" role="status">
          {t('invite.accepted', { organization: joined })}
        </p>
      )}
      <ul class="card-list">
        {items.map((i) => (
          <li key={i.id} class="card invitation">
            <span class="card-title">
              {t('invite.from', { organization: i.organizationName, role: tEnum('role', i.role) })}
            </span>
            <span class="muted">
              {t('invite.by', { name: i.invitedBy })} · {t('invite.expires', { date: dateOf(i.expiresAt, language) })}
            </span>
            <span class="actions">
              <button
                type="button"
                class="btn btn-primary"
                disabled={busy === i.id}
                onClick={() => answer(i, 'accept')}
              >
                {t('invite.accept')}
              </button>
              <button type="button" class="btn" disabled={busy === i.id} onClick={() => answer(i, 'decline')}>
                {t('invite.decline')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </section>
  )
}
