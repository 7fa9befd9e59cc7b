import { PageTitle } from '../../components/page-title.tsx'
import { ScorecardSection } from '../../components/scorecard.tsx'
import { useT } from '../../lib/i18n.ts'

/** A volunteer's or party member's public page: the evaluations of those they served with (评价公开). */
export default function VolunteerPage({ id }: { id: string }) {
  const t = useT()
  return (
    <>
      <PageTitle title={t('volunteer.title')}>{t('volunteer.title')}</PageTitle>
      <p class="lead">{t('volunteer.lead')}</p>
      <ScorecardSection subject="member" id={id} />
    </>
  )
}
