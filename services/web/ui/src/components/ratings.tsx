import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { useStore } from '../lib/store.ts'
import { Field } from './field.tsx'

// What every list shows; a party's own view (`Rating`) has the booking and member ids besides.
type Rating = Schema<'PublicRating'>

export function Stars({ score }: { score: number }) {
  const t = useT()
  return (
    <span class="stars" role="img" aria-label={t('ratings.scoreN', { n: score })}>
      {'★'.repeat(score)}
      <span class="stars-off">{'★'.repeat(5 - score)}</span>
    </span>
  )
}

/** One published rating, with the ratee's reply. */
function ReplyForm({ rating, onDone }: { rating: Rating; onDone: (r: Rating) => void }) {
  const t = useT()
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const id = `reply-${rating.id}`
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!body.trim()) return setError(t('ratings.replyEmpty'))
    setBusy(true)
    const res = await api.POST('/v1/ratings/{id}/reply', {
      params: { path: { id: rating.id } },
      body: { body: body.trim() },
    })
    setBusy(false)
    if (res.data) onDone(res.data)
    else setError(problemText(problemOf(res)))
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id={id} label={t('ratings.replyLabel')} error={error}>
        {(a) => (
          <textarea
            {...a}
            maxLength={2000}
            value={body}
            onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      <button type="submit" class="btn" disabled={busy}>
        {t('ratings.replySend')}
      </button>
    </form>
  )
}

function ReportForm({ rating }: { rating: Rating }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [sent, setSent] = useState(false)
  const id = `report-${rating.id}`
  if (sent)
    return (
      <p class="note" role="status">
        {t('ratings.reported')}
      </p>
    )
  if (!open)
    return (
      <button type="button" class="btn btn-quiet" onClick={() => setOpen(true)}>
        {t('ratings.report')}
      </button>
    )
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!reason.trim()) return setError(t('ratings.reportEmpty'))
    const res = await api.POST('/v1/ratings/{id}/reports', {
      params: { path: { id: rating.id } },
      body: { reason: reason.trim() },
    })
    if (problemOf(res)) setError(problemText(problemOf(res)))
    else setSent(true)
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id={id} label={t('ratings.reportReason')} error={error}>
        {(a) => (
          <textarea
            {...a}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      <button type="submit" class="btn btn-danger">
        {t('ratings.reportSend')}
      </button>
      <button type="button" class="btn btn-quiet" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
    </form>
  )
}

export function RatingItem({ rating: initial }: { rating: Rating }) {
  const t = useT()
  const me = useStore(auth)
  const [rating, setRating] = useState(initial)
  const mayReply =
    !rating.reply && rating.publishedAt && me.memberships.some((m) => m.organizationId === rating.rateeOrganizationId)
  const mayReport =
    me.status === 'signed-in' && !me.memberships.some((m) => m.organizationId === rating.raterOrganizationId)
  return (
    <li class="rating">
      <p>
        <Stars score={rating.score} /> <span class="rating-side">{tEnum('ratingSide', rating.side)}</span>{' '}
        <span class="tl-when">
          {formatDateTime(rating.publishedAt ?? rating.createdAt, undefined, { timeStyle: undefined })}
        </span>
      </p>
      {Object.keys(rating.dimensions).length > 0 && (
        <ul class="card-facts">
          {Object.entries(rating.dimensions).map(([d, v]) => (
            <li key={d}>
              {tEnum('dimension', d)} {v}/5
            </li>
          ))}
        </ul>
      )}
      {rating.comment && <p class="rating-comment">{rating.comment}</p>}
      {rating.reply && (
        <p class="rating-reply">
          <strong>{t('ratings.reply')}</strong> {rating.reply.body}
        </p>
      )}
      {mayReply && <ReplyForm rating={rating} onDone={setRating} />}
      {mayReport && <ReportForm rating={rating} />}
    </li>
  )
}
