import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { Stars } from '../../components/ratings.tsx'
import { ReasonForm } from '../../components/reason-form.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad, usePages } from '../../lib/load.ts'

function ReportItem({ report, onDone }: { report: Schema<'RatingReport'>; onDone: () => void }) {
  const t = useT()
  const hide = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/hide', { params: { path: { id: report.ratingId } }, body: { reason } })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p class="card-title">{t('moderation.reportReason', { reason: report.reason })}</p>
      <p class="note">
        {t('moderation.reportMeta', { id: report.ratingId.slice(0, 8), when: formatDateTime(report.createdAt) })}
      </p>
      <ReasonForm
        id={`hide-${report.ratingId}-${report.createdAt}`}
        label={t('moderation.hideReason')}
        submitLabel={t('moderation.hide')}
        danger
        send={hide}
      />
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
  if (reports.loading && !reports.data) return <Loading />
  if (reports.error !== undefined) return <ErrorNote>{problemText(reports.error)}</ErrorNote>
  const items = (reports.data?.items ?? []).filter((r) => !hidden.includes(r.ratingId))
  return (
    <>
      {hidden.length > 0 && (
        <p class="note" role="status">
          {t('moderation.hiddenN', { n: hidden.length })}
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
              onDone={() => setHidden((h) => [...h, r.ratingId])}
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
