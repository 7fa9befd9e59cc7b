import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { must, usePages } from '../lib/load.ts'
import { useStore } from '../lib/store.ts'
import { ErrorNote } from './feedback.tsx'
import { Field } from './field.tsx'
import { MoreButton } from './more-button.tsx'
import { Stars } from './ratings.tsx'
import { ReasonForm } from './reason-form.tsx'

type Evaluation = Schema<'Evaluation'>

/** The rated side's one public reply. */
function ReplyForm({ evaluation, onDone }: { evaluation: Evaluation; onDone: (e: Evaluation) => void }) {
  const t = useT()
  const [reply, setReply] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!reply.trim()) return setError(t('ratings.replyEmpty'))
    setBusy(true)
    const res = await api.POST('/v1/evaluations/{id}/reply', {
      params: { path: { id: evaluation.id } },
      body: { reply: reply.trim() },
    })
    setBusy(false)
    if (res.data) onDone(res.data)
    else setError(problemText(problemOf(res)))
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id={`evaluation-reply-${evaluation.id}`} label={t('ratings.replyLabel')} error={error}>
        {(a) => (
          <textarea
            {...a}
            maxLength={1000}
            value={reply}
            onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      <button type="submit" class="btn" disabled={busy}>
        {t('ratings.replySend')}
      </button>
    </form>
  )
}

/** Reporting opens a reason form; the moderators see it in their queue of evaluation reports. */
function ReportForm({ evaluation }: { evaluation: Evaluation }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [sent, setSent] = useState(false)
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
  return (
    <ReasonForm
      id={`evaluation-report-${evaluation.id}`}
      label={t('ratings.reportReason')}
      submitLabel={t('ratings.reportSend')}
      danger
      onCancel={() => setOpen(false)}
      send={async (reason) => {
        const res = await api.POST('/v1/evaluations/{id}/reports', {
          params: { path: { id: evaluation.id } },
          body: { reason },
        })
        if (!res.error) setSent(true)
        return res
      }}
    />
  )
}

/** One published evaluation: its score and words, the reply; reply, report and (moderators) hide. */
export function EvaluationItem({ evaluation: initial }: { evaluation: Evaluation }) {
  const t = useT()
  const me = useStore(auth)
  const [evaluation, setEvaluation] = useState(initial)
  const signedIn = me.status === 'signed-in'
  const rated = evaluation.subjectUserId
    ? me.user?.id === evaluation.subjectUserId
    : me.memberships.some(
        (m) => m.organizationId === evaluation.organizationId && (m.role === 'owner' || m.role === 'admin'),
      )
  return (
    <li class="rating" data-evaluation={evaluation.id}>
      <p>
        <Stars score={evaluation.score} />{' '}
        <span class="rating-side">{tEnum('evaluationDirection', evaluation.direction)}</span>{' '}
        {evaluation.publishedAt && (
          <span class="tl-when">{formatDateTime(evaluation.publishedAt, undefined, { timeStyle: undefined })}</span>
        )}
      </p>
      {Object.keys(evaluation.dimensions).length > 0 && (
        <ul class="card-facts">
          {Object.entries(evaluation.dimensions).map(([d, v]) => (
            <li key={d}>
              {tEnum('evaluationDimension', d)} {v}/5
            </li>
          ))}
        </ul>
      )}
      {evaluation.hidden ? (
        <p class="note">{t('evaluations.hidden')}</p>
      ) : (
        evaluation.comment && <p class="rating-comment">{evaluation.comment}</p>
      )}
      {evaluation.reply && (
        <p class="rating-reply">
          <strong>{t('ratings.reply')}</strong> {evaluation.reply}
        </p>
      )}
      {signedIn && rated && !evaluation.reply && <ReplyForm evaluation={evaluation} onDone={setEvaluation} />}
      {signedIn && !rated && !evaluation.hidden && <ReportForm evaluation={evaluation} />}
      {me.moderator && !evaluation.hidden && (
        <ReasonForm
          id={`evaluation-hide-${evaluation.id}`}
          label={t('moderation.hideReason')}
          submitLabel={t('moderation.hide')}
          danger
          send={async (reason) => {
            const res = await api.POST('/v1/evaluations/{id}/hide', {
              params: { path: { id: evaluation.id } },
              body: { reason },
            })
            if (res.data) setEvaluation(res.data)
            return res
          }}
        />
      )}
    </li>
  )
}

/**
 * The published evaluations of an activity, an organization or a volunteer, newest first, each with the
 * rated side's reply and the ways to answer, report or (moderators) hide it.
 */
export function EvaluationList({
  query,
  onlyHost = false,
}: {
  query: { activityId?: string; organizationId?: string; subjectUserId?: string }
  /** Only the evaluations of the host (an organization's page leaves out those of its volunteers). */
  onlyHost?: boolean
}) {
  const t = useT()
  const me = useStore(auth)
  const pages = usePages(
    async (cursor) =>
      must(
        await api.GET('/v1/evaluations', { params: { query: { ...query, limit: 10, ...(cursor ? { cursor } : {}) } } }),
      ),
    [query.activityId, query.organizationId, query.subjectUserId, me.status],
  )
  if (pages.error !== undefined && !pages.loaded) return <ErrorNote>{problemText(pages.error)}</ErrorNote>
  const items = onlyHost ? pages.items.filter((e) => e.subjectUserId === null) : pages.items
  if (items.length === 0 && !pages.hasMore) return null
  return (
    <section class="evaluations" aria-labelledby={`evaluations-${Object.values(query).join('-')}`}>
      <h3 id={`evaluations-${Object.values(query).join('-')}`}>{t('evaluations.title')}</h3>
      <ul class="rating-list">
        {items.map((e) => (
          <EvaluationItem key={e.id} evaluation={e} />
        ))}
      </ul>
      <MoreButton pages={pages} />
    </section>
  )
}
