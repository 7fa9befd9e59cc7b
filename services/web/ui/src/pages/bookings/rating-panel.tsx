import { CreateRatingBody, RATING_DIMENSIONS } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { RatingItem } from '../../components/ratings.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { validate } from '../../lib/validate.ts'
import type { Booking } from './types.ts'

function RateForm({ booking, side, onDone }: { booking: Booking; side: 'requester' | 'provider'; onDone: () => void }) {
  const t = useT()
  const dims = RATING_DIMENSIONS[side === 'requester' ? booking.listingKind : 'requester'] ?? []
  const [score, setScore] = useState(0)
  const [values, setValues] = useState<Record<string, number>>({})
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!score) {
      setErrors({ score: t('rate.pickScore') })
      return
    }
    const checked = validate(CreateRatingBody, {
      score,
      dimensions: values,
      ...(comment.trim() ? { comment } : {}),
    })
    if (checked.errors) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/bookings/{id}/ratings', {
      params: { path: { id: booking.id } },
      body: checked.data,
    })
    setBusy(false)
    if (problemOf(res)) setProblem(problemOf(res))
    else onDone()
  }
  const scale = (name: string, legend: string, value: number, set: (n: number) => void, error?: string) => (
    <fieldset class={`score-field${error ? ' has-error' : ''}`} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div class="score-options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input
              type="radio"
              name={`${booking.id}-${name}`}
              value={n}
              checked={value === n}
              onChange={() => set(n)}
            />
            <span>{n}</span>
          </label>
        ))}
      </div>
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
  const commentId = `rate-comment-${booking.id}`
  return (
    <form class="rate-form" onSubmit={submit} noValidate>
      <h3>{side === 'requester' ? t('rate.titleProvider') : t('rate.titleRequester')}</h3>
      {scale('score', t('rate.score'), score, setScore, errors.score)}
      {dims.map((d) =>
        scale(
          d,
          tEnum('dimension', d),
          values[d] ?? 0,
          (n) => setValues((v) => ({ ...v, [d]: n })),
          errors[`dimensions.${d}`],
        ),
      )}
      <Field id={commentId} label={t('rate.comment')} error={errors.comment}>
        {(a) => (
          <textarea
            {...a}
            maxLength={2000}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : t('rate.submit')}
      </button>
    </form>
  )
}

/** Ratings of a completed booking: the form while the window is open, then the published pair. */
export function BookingRatingsPanel({
  booking,
  side,
}: {
  booking: Booking
  side: 'requester' | 'provider' | undefined
}) {
  const t = useT()
  const ratings = useLoad(
    async () => must(await api.GET('/v1/bookings/{id}/ratings', { params: { path: { id: booking.id } } })),
    [booking.id],
  )
  if (ratings.loading && !ratings.data) return <Loading label={t('ratings.loading')} />
  if (ratings.error || !ratings.data) return <ErrorNote>{problemText(ratings.error)}</ErrorNote>
  const { window, ratings: list, otherSideRated } = ratings.data
  const mine = side && list.find((r) => r.side === side)
  const published = list.filter((r) => r.publishedAt)
  return (
    <section class="booking-ratings" aria-label={t('ratings.title')}>
      {side && window.state === 'open' && !mine && <RateForm booking={booking} side={side} onDone={ratings.reload} />}
      {mine && !mine.publishedAt && <p class="note">{otherSideRated ? t('rate.waitPublish') : t('rate.waitOther')}</p>}
      {window.state === 'not_open' && <p class="note">{t('rate.notOpen')}</p>}
      {published.length > 0 && (
        <>
          <h3>{t('ratings.title')}</h3>
          <ul class="rating-list">
            {published.map((r) => (
              <RatingItem key={r.id} rating={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
