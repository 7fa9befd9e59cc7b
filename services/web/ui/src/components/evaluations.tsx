import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { must, usePages } from '../lib/load.ts'
import { useStore } from '../lib/store.ts'
import { ErrorNote } from './feedback.tsx'
import { MoreButton } from './more-button.tsx'
import { Stars } from './ratings.tsx'
import { ReasonForm } from './reason-form.tsx'
import { ReplyForm, ReportAction } from './text-action-form.tsx'

type Evaluation = Schema<'Evaluation'>

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
      {signedIn && rated && !evaluation.reply && (
        <ReplyForm
          id={`evaluation-reply-${evaluation.id}`}
          maxLength={1000}
          send={async (reply) => {
            const res = await api.POST('/v1/evaluations/{id}/reply', {
              params: { path: { id: evaluation.id } },
              body: { reply },
            })
            if (res.data) setEvaluation(res.data)
            return res
          }}
        />
      )}
      {signedIn && !rated && !evaluation.hidden && (
        <ReportAction
          id={`evaluation-report-${evaluation.id}`}
          send={(reason) =>
            api.POST('/v1/evaluations/{id}/reports', { params: { path: { id: evaluation.id } }, body: { reason } })
          }
        />
      )}
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
