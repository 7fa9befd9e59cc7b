import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, type Problem, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { Loading } from './feedback.tsx'

/** The organization as a moderator must see it before vouching for it: who it says it is, and what it offers. */
function OrganizationFacts({ orgId }: { orgId: string }) {
  const t = useT()
  const org = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const listings = useLoad(
    async () =>
      must(
        await api.GET('/v1/organizations/{id}/listings', { params: { path: { id: orgId }, query: { limit: 100 } } }),
      ),
    [orgId],
  )
  if (!org.data) return <Loading />
  const o: Schema<'Organization'> = org.data
  return (
    <dl class="facts">
      <div>
        <dt>{t('moderation.orgName')}</dt>
        <dd>{o.name}</dd>
      </div>
      <div>
        <dt>{t('moderation.orgKind')}</dt>
        <dd>{tEnum('orgKind', o.kind)}</dd>
      </div>
      <div>
        <dt>{t('moderation.orgPlace')}</dt>
        <dd>
          {o.city} {o.district}
        </dd>
      </div>
      <div>
        <dt>{t('moderation.orgDescription')}</dt>
        <dd>{o.description || '—'}</dd>
      </div>
      <div>
        <dt>{t('moderation.orgSince')}</dt>
        <dd>{formatDateTime(o.createdAt, undefined, { timeStyle: undefined })}</dd>
      </div>
      <div>
        <dt>{t('moderation.orgListings')}</dt>
        <dd>{listings.data ? listings.data.items.length : '…'}</dd>
      </div>
    </dl>
  )
}

/**
 * Marks an organization verified (its listings then publish without review); there is no undo in the API,
 * so the moderator first sees the organization's details and confirms.
 */
export function VerifyButton({ orgId, onDone }: { orgId: string; onDone?: () => void }) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'asking' | 'busy' | 'done'>('idle')
  const [problem, setProblem] = useState<Problem | undefined>()
  const verify = async () => {
    setState('busy')
    const res = await api.POST('/v1/moderation/organizations/{id}/verify', { params: { path: { id: orgId } } })
    if (problemOf(res)) {
      setProblem(problemOf(res))
      setState('asking')
    } else {
      setState('done')
      onDone?.()
    }
  }
  if (state === 'done') {
    return (
      <p class="note" role="status">
        {t('moderation.verified')}
      </p>
    )
  }
  return (
    <>
      <button type="button" class="btn" onClick={() => setState('asking')}>
        {t('moderation.verify')}
      </button>
      {(state === 'asking' || state === 'busy') && (
        <ConfirmDialog
          title={t('moderation.verifyTitle')}
          confirmLabel={t('moderation.verifyConfirm')}
          busy={state === 'busy'}
          error={problem ? problemText(problem) : undefined}
          onConfirm={() => void verify()}
          onCancel={() => {
            setProblem(undefined)
            setState('idle')
          }}
        >
          <p>{t('moderation.verifyLead')}</p>
          <OrganizationFacts orgId={orgId} />
        </ConfirmDialog>
      )}
    </>
  )
}
