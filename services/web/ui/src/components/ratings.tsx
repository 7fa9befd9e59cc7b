import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { useStore } from '../lib/store.ts'
import { ReplyForm, ReportAction } from './text-action-form.tsx'

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

/** One published rating, with the ratee's reply and the ways to answer or report it. */
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
      {mayReply && (
        <ReplyForm
          id={`reply-${rating.id}`}
          maxLength={2000}
          send={async (body) => {
            const res = await api.POST('/v1/ratings/{id}/reply', {
              params: { path: { id: rating.id } },
              body: { body },
            })
            if (res.data) setRating(res.data)
            return res
          }}
        />
      )}
      {mayReport && (
        <ReportAction
          id={`report-${rating.id}`}
          send={(reason) =>
            api.POST('/v1/ratings/{id}/reports', { params: { path: { id: rating.id } }, body: { reason } })
          }
        />
      )}
    </li>
  )
}
