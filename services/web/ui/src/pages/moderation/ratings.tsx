import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { Stars } from '../../components/ratings.tsx'
import { ReasonForm } from '../../components/reason-form.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad, usePages } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

/** Who wrote a rating: the rater organization's public name (ratings carry its id). */
function RaterName({ orgId }: { orgId: string }) {
  const org = useLoad(
    async () => (await api.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })).data,
    [orgId],
  )
  return <Link href={`/profiles/${orgId}`}>{org.data?.name ?? '…'}</Link>
}

/**
 * A report with what it is about: the rating's score and text, who wrote it, the booking it rates; the
 * moderator hides the rating or dismisses the report, each with a reason for the audit trail.
 */
function ReportItem({
  report,
  onDone,
}: {
  report: Schema<'ReportedRating'>
  onDone: (how: 'hidden' | 'dismissed') => void
}) {
  const t = useT()
  const r = report.rating
  const hide = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/hide', { params: { path: { id: report.ratingId } }, body: { reason } })
    if (!res.error) onDone('hidden')
    return res
  }
  const dismiss = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/reports/dismiss', {
      params: { path: { id: report.ratingId } },
      body: { reason },
    })
    if (!res.error) onDone('dismissed')
    return res
  }
  return (
    <li class="card">
      <p class="card-title">{t('moderation.reportReason', { reason: report.reason })}</p>
      <blockquote class="reported-rating">
        <p>
          <Stars score={r.score} /> <span class="rating-side">{tEnum('ratingSide', r.side)}</span>
        </p>
        <p class="rating-comment">{r.comment ?? t('moderation.noComment')}</p>
        <p class="note">
          {t('moderation.ratedBy')} <RaterName orgId={r.raterOrganizationId} /> · {t('moderation.ratedBooking')}{' '}
          <Link href={`/listings/${r.listingId}`}>{report.booking.listingTitle}</Link>{' '}
          {formatDateTime(report.booking.start)}
        </p>
      </blockquote>
      <p class="note">{t('moderation.reportedAt', { when: formatDateTime(report.createdAt) })}</p>
      <div class="report-decisions">
        <ReasonForm
          id={`hide-${report.ratingId}-${report.createdAt}`}
          label={t('moderation.hideReason')}
          submitLabel={t('moderation.hide')}
          danger
          send={hide}
        />
        <ReasonForm
          id={`dismiss-${report.ratingId}-${report.createdAt}`}
          label={t('moderation.dismissReason')}
          submitLabel={t('moderation.dismiss')}
          send={dismiss}
        />
      </div>
    </li>
  )
}

export function Reports() {
  const t = useT()
  const reports = useLoad(
    async () => must(await api.GET('/v1/ratings/reports', { params: { query: { limit: 50 } } })),
    [],
  )
  const [hidden, setHidden] = useState<string[]>([])
  const [dismissed, setDismissed] = useState<string[]>([])
  if (reports.loading && !reports.data) return <Loading />
  if (reports.error !== undefined) return <ErrorNote>{problemText(reports.error)}</ErrorNote>
  const items = (reports.data?.items ?? []).filter(
    (r) => !hidden.includes(r.ratingId) && !dismissed.includes(r.ratingId),
  )
  return (
    <>
      {hidden.length > 0 && (
        <p class="note" role="status">
          {t('moderation.hiddenN', { n: hidden.length })}
        </p>
      )}
      {dismissed.length > 0 && (
        <p class="note" role="status">
          {t('moderation.dismissedN', { n: dismissed.length })}
        </p>
      )}
      {items.length === 0 ? (
        <Empty title={t('moderation.noReports')} />
      ) : (
        <ul class="card-list">
          {items.map((r) => (
            <ReportItem
              key={`${r.ratingId}-${r.createdAt}`}
              report={r}
              onDone={(how) =>
                how === 'hidden' ? setHidden((h) => [...h, r.ratingId]) : setDismissed((d) => [...d, r.ratingId])
              }
            />
          ))}
        </ul>
      )}
    </>
  )
}

function HiddenItem({ hidden, onDone }: { hidden: Schema<'HiddenRating'>; onDone: () => void }) {
  const t = useT()
  const r = hidden.rating
  const unhide = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/unhide', { params: { path: { id: r.id } }, body: { reason } })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p>
        <Stars score={r.score} /> <span class="rating-side">{tEnum('ratingSide', r.side)}</span>
      </p>
      {r.comment && <p class="rating-comment">{r.comment}</p>}
      <p class="note">{t('moderation.hiddenMeta', { when: formatDateTime(hidden.hiddenAt), reason: hidden.reason })}</p>
      <ReasonForm
        id={`unhide-${r.id}`}
        label={t('moderation.unhideReason')}
        submitLabel={t('moderation.unhide')}
        send={unhide}
      />
    </li>
  )
}

/** Ratings moderators hid, newest first, each with why and a way to restore it. */
export function Hidden() {
  const t = useT()
  const pages = usePages(
    async (cursor) =>
      must(await api.GET('/v1/ratings/hidden', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [],
  )
  const [restored, setRestored] = useState<string[]>([])
  if (pages.loading && !pages.loaded) return <Loading />
  if (pages.error !== undefined && !pages.loaded) return <ErrorNote>{problemText(pages.error)}</ErrorNote>
  const items = pages.items.filter((h) => !restored.includes(h.rating.id))
  return (
    <>
      {restored.length > 0 && (
        <p class="note" role="status">
          {t('moderation.restoredN', { n: restored.length })}
        </p>
      )}
      {items.length === 0 ? (
        <Empty title={t('moderation.noHidden')} />
      ) : (
        <ul class="card-list">
          {items.map((h) => (
            <HiddenItem key={h.rating.id} hidden={h} onDone={() => setRestored((x) => [...x, h.rating.id])} />
          ))}
        </ul>
      )}
      <MoreButton pages={pages} />
    </>
  )
}
