import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { Stars } from '../../components/ratings.tsx'
import { ReasonForm } from '../../components/reason-form.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

/** A reported activity evaluation: what was said, where; the moderator hides it or dismisses the report. */
function EvaluationReportItem({
  report,
  onDone,
}: {
  report: Schema<'ReportedEvaluation'>
  onDone: (how: 'hidden' | 'dismissed') => void
}) {
  const t = useT()
  const e = report.evaluation
  const hide = async (reason: string) => {
    const res = await api.POST('/v1/evaluations/{id}/hide', { params: { path: { id: e.id } }, body: { reason } })
    if (!res.error) onDone('hidden')
    return res
  }
  const dismiss = async (reason: string) => {
    const res = await api.POST('/v1/evaluations/reports/{id}/dismiss', {
      params: { path: { id: report.id } },
      body: { reason },
    })
    if (!res.error) onDone('dismissed')
    return res
  }
  return (
    <li class="card" data-report={report.id}>
      <p class="card-title">{t('moderation.reportReason', { reason: report.reason })}</p>
      <blockquote class="reported-rating">
        <p>
          <Stars score={e.score} /> <span class="rating-side">{tEnum('evaluationDirection', e.direction)}</span>
        </p>
        <p class="rating-comment">{e.comment ?? t('moderation.noComment')}</p>
        <p class="note">
          <Link href={`/activities/${e.activityId}`}>
            {t('moderation.evaluationOf', { activity: report.activityTitle, organization: report.organizationName })}
          </Link>
        </p>
      </blockquote>
      <p class="note">{t('moderation.reportedAt', { when: formatDateTime(report.createdAt) })}</p>
      <div class="report-decisions">
        <ReasonForm
          id={`hide-evaluation-${report.id}`}
          label={t('moderation.hideReason')}
          submitLabel={t('moderation.hide')}
          danger
          send={hide}
        />
        <ReasonForm
          id={`dismiss-evaluation-${report.id}`}
          label={t('moderation.dismissReason')}
          submitLabel={t('moderation.dismiss')}
          send={dismiss}
        />
      </div>
    </li>
  )
}

/** The queue of reported activity evaluations (三向互评), oldest first. */
export function EvaluationReports() {
  const t = useT()
  const reports = useLoad(async () => must(await api.GET('/v1/evaluations/reports')), [])
  const [done, setDone] = useState<Record<string, 'hidden' | 'dismissed'>>({})
  if (reports.loading && !reports.data) return <Loading />
  if (reports.error !== undefined) return <ErrorNote>{problemText(reports.error)}</ErrorNote>
  // Hiding an evaluation answers every report of it, so they all leave the list at once.
  const hiddenEvaluations = new Set(
    (reports.data?.items ?? []).filter((r) => done[r.id] === 'hidden').map((r) => r.evaluation.id),
  )
  const items = (reports.data?.items ?? []).filter((r) => !done[r.id] && !hiddenEvaluations.has(r.evaluation.id))
  const count = (how: 'hidden' | 'dismissed') => Object.values(done).filter((d) => d === how).length
  return (
    <>
      {count('hidden') > 0 && (
        <p class="note" role="status">
          {t('moderation.hiddenN', { n: count('hidden') })}
        </p>
      )}
      {count('dismissed') > 0 && (
        <p class="note" role="status">
          {t('moderation.dismissedN', { n: count('dismissed') })}
        </p>
      )}
      {items.length === 0 ? (
        <Empty title={t('moderation.noEvaluationReports')} />
      ) : (
        <ul class="card-list">
          {items.map((r) => (
            <EvaluationReportItem key={r.id} report={r} onDone={(how) => setDone((d) => ({ ...d, [r.id]: how }))} />
          ))}
        </ul>
      )}
    </>
  )
}
