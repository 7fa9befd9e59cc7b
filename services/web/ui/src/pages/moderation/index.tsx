import { ErrorNote } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { auth } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { Link, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { Audit, RatingAudit } from './audit.tsx'
import { EvaluationReports } from './evaluations.tsx'
import { Queue } from './queue.tsx'
import { Hidden, Reports } from './ratings.tsx'

const TABS = ['queue', 'reports', 'evaluations', 'hidden', 'audit'] as const

function Moderation() {
  const t = useT()
  const me = useStore(auth)
  const requested = useQuery().get('tab')
  const tab = TABS.find((x) => x === requested) ?? 'queue'
  if (!me.moderator) return <ErrorNote>{t('moderation.only')}</ErrorNote>
  const label = {
    queue: t('moderation.tabQueue'),
    reports: t('moderation.tabReports'),
    evaluations: t('moderation.tabEvaluations'),
    hidden: t('moderation.tabHidden'),
    audit: t('moderation.tabAudit'),
  }
  return (
    <>
      <PageTitle title={t('moderation.title')}>{t('moderation.title')}</PageTitle>
      <nav class="tabs" aria-label={t('moderation.sections')}>
        {TABS.map((x) => (
          <Link
            key={x}
            href={x === 'queue' ? '/moderation' : `/moderation?tab=${x}`}
            class="tab"
            aria-current={x === tab ? 'page' : undefined}
          >
            {label[x]}
          </Link>
        ))}
      </nav>
      {tab === 'queue' ? (
        <Queue />
      ) : tab === 'reports' ? (
        <Reports />
      ) : tab === 'evaluations' ? (
        <EvaluationReports />
      ) : tab === 'hidden' ? (
        <Hidden />
      ) : (
        <>
          <Audit />
          <RatingAudit />
        </>
      )}
    </>
  )
}

export default function ModerationPage() {
  return (
    <RequireAuth>
      <Moderation />
    </RequireAuth>
  )
}
