import { ErrorNote, Loading } from '../components/feedback.tsx'
import { api, problemText } from '../lib/api.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { EvaluationList } from './evaluations.tsx'

/**
 * A public scorecard (评价公开) of an organization or a volunteer: per direction the Bayesian average and
 * the count behind it, the badge of the top decile, the 整改中 mark, and the published evaluations.
 */
export function ScorecardSection({ subject, id }: { subject: 'organization' | 'member'; id: string }) {
  const t = useT()
  const card = useLoad(
    async () =>
      must(
        subject === 'organization'
          ? await api.GET('/v1/evaluations/scorecards/organizations/{id}', { params: { path: { id } } })
          : await api.GET('/v1/evaluations/scorecards/members/{id}', { params: { path: { id } } }),
      ),
    [subject, id],
  )
  const headingId = `scorecard-${id}`
  return (
    <section class="scorecard" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('scorecard.title')} {card.data?.badge && <span class="badge badge-verified">{t('scorecard.badge')}</span>}{' '}
        {card.data?.rectifying && <span class="badge badge-rectifying">{t('scorecard.rectifying')}</span>}
      </h2>
      {card.loading && !card.data && <Loading />}
      {card.error !== undefined && <ErrorNote>{problemText(card.error)}</ErrorNote>}
      {card.data?.rectifying && <p class="notice">{t('scorecard.rectifyingNote')}</p>}
      {card.data?.lines.every((l) => l.count === 0) && <p class="note">{t('scorecard.none')}</p>}
      {card.data?.lines.some((l) => l.count > 0) && (
        <dl class="stat-grid">
          {card.data.lines
            .filter((l) => l.count > 0)
            .map((l) => (
              <div class="stat" key={l.direction} data-direction={l.direction}>
                <dt>{tEnum('evaluationDirection', l.direction)}</dt>
                <dd>
                  <strong>{l.average.toFixed(1)}</strong> {t('scorecard.countN', { n: l.count })}
                </dd>
              </div>
            ))}
        </dl>
      )}
      <p class="hint">{t('scorecard.how')}</p>
      {/* The published evaluations in full (with replies, reports and hiding) rather than the card's recent comments. */}
      {subject === 'organization' ? (
        <EvaluationList query={{ organizationId: id }} onlyHost />
      ) : (
        <EvaluationList query={{ subjectUserId: id }} />
      )}
    </section>
  )
}
