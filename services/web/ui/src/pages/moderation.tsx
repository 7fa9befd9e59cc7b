import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth, type Problem, problemOf, problemText } from '../lib/api.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { RequireAuth } from '../lib/require-auth.tsx'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Empty, ErrorNote, Loading, must, PageTitle, useLoad } from '../lib/ui.tsx'

type Listing = Schema<'Listing'>

function ReviewItem({ listing, onDone }: { listing: Listing; onDone: () => void }) {
  const t = useT()
  const [reason, setReason] = useState('')
  const [rejecting, setRejecting] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const decide = async (approve: boolean) => {
    setBusy(true)
    const res = approve
      ? await api.POST('/v1/moderation/listings/{id}/approve', { params: { path: { id: listing.id } } })
      : await api.POST('/v1/moderation/listings/{id}/reject', {
          params: { path: { id: listing.id } },
          body: { reason: reason.trim() },
        })
    setBusy(false)
    if (problemOf(res)) setProblem(problemOf(res))
    else onDone()
  }
  const reasonId = `reason-${listing.id}`
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
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (reason.trim().length >= 2) void decide(false)
          }}
        >
          <div class="field">
            <label for={reasonId}>{t('moderation.reason')}</label>
            <textarea
              id={reasonId}
              required
              minLength={2}
              value={reason}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            />
          </div>
          <button type="submit" class="btn btn-danger" disabled={busy || reason.trim().length < 2}>
            {t('moderation.rejectConfirm')}
          </button>
          <button type="button" class="btn btn-quiet" onClick={() => setRejecting(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div class="actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void decide(true)}>
            {t('moderation.approve')}
          </button>
          <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setRejecting(true)}>
            {t('moderation.reject')}
          </button>
        </div>
      )}
    </li>
  )
}

function Queue() {
  const t = useT()
  const me = useStore(auth)
  const queue = useLoad(
    async () => must(await api.GET('/v1/moderation/listings', { params: { query: { limit: 50 } } })),
    [],
  )
  if (!me.moderator) return <ErrorNote>{t('moderation.only')}</ErrorNote>
  return (
    <>
      <PageTitle title={t('moderation.title')}>{t('moderation.title')}</PageTitle>
      {queue.loading && !queue.data && <Loading />}
      {queue.data && queue.data.items.length === 0 && <Empty title={t('moderation.empty')} />}
      {queue.data && queue.data.items.length > 0 && (
        <ul class="card-list">
          {queue.data.items.map((l) => (
            <ReviewItem key={l.id} listing={l} onDone={queue.reload} />
          ))}
        </ul>
      )}
    </>
  )
}

export default function ModerationPage() {
  return (
    <RequireAuth>
      <Queue />
    </RequireAuth>
  )
}
