import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { ReasonForm } from '../../components/reason-form.tsx'
import { VerifyButton } from '../../components/verify-button.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

type Listing = Schema<'Listing'>

function ReviewItem({ listing, onDone }: { listing: Listing; onDone: () => void }) {
  const t = useT()
  const [rejecting, setRejecting] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const approve = async () => {
    setBusy(true)
    const res = await api.POST('/v1/moderation/listings/{id}/approve', {
      params: { path: { id: listing.id } },
      headers: { 'if-match': `"${listing.version}"` },
    })
    setBusy(false)
    if (problemOf(res)) setProblem(problemOf(res))
    else onDone()
  }
  const reject = async (reason: string) => {
    const res = await api.POST('/v1/moderation/listings/{id}/reject', {
      params: { path: { id: listing.id } },
      headers: { 'if-match': `"${listing.version}"` },
      body: { reason },
    })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p class="card-kind">{tEnum('kind', listing.kind)}</p>
      <h2 class="card-title">
        <Link href={`/listings/${listing.id}`}>{listing.title}</Link>
      </h2>
      <p>
        {listing.location.city} {listing.location.district}
      </p>
      {listing.description && <p class="card-snippet">{listing.description}</p>}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {rejecting ? (
        <ReasonForm
          id={`reason-${listing.id}`}
          label={t('moderation.reason')}
          submitLabel={t('moderation.rejectConfirm')}
          danger
          minLength={2}
          send={reject}
          onCancel={() => setRejecting(false)}
        />
      ) : (
        <div class="actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void approve()}>
            {t('moderation.approve')}
          </button>
          <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setRejecting(true)}>
            {t('moderation.reject')}
          </button>
          <Link href={`/profiles/${listing.organizationId}`} class="btn btn-quiet">
            {t('moderation.viewOrg')}
          </Link>
          <VerifyButton orgId={listing.organizationId} />
        </div>
      )}
    </li>
  )
}

export function Queue() {
  const t = useT()
  const queue = useLoad(
    async () => must(await api.GET('/v1/moderation/listings', { params: { query: { limit: 50 } } })),
    [],
  )
  if (queue.loading && !queue.data) return <Loading />
  if (queue.error !== undefined) return <ErrorNote>{problemText(queue.error)}</ErrorNote>
  if (!queue.data || queue.data.items.length === 0) return <Empty title={t('moderation.empty')} />
  return (
    <ul class="card-list">
      {queue.data.items.map((l) => (
        <ReviewItem key={l.id} listing={l} onDone={queue.reload} />
      ))}
    </ul>
  )
}
