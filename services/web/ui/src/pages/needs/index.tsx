import { useState } from 'preact/hooks'
import { PageTitle } from '../../components/page-title.tsx'
import { auth } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { Link, navigate, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { AllNeeds, FitsMyListings } from './need-lists.tsx'
import { PostNeed } from './post-need.tsx'

export default function NeedsPage() {
  const t = useT()
  const me = useStore(auth)
  const view = useQuery().get('view') === 'fits' && me.status === 'signed-in' ? 'fits' : 'all'
  // Bumped when the member posts a need, so the list reloads with it on top.
  const [posted, setPosted] = useState(0)
  return (
    <>
      <PageTitle title={t('needs.title')}>{t('needs.title')}</PageTitle>
      <p class="lead">{t('needs.lead')}</p>
      {me.status === 'signed-in' ? (
        <PostNeed
          onPosted={() => {
            setPosted((n) => n + 1)
            if (view !== 'all') navigate('/needs')
          }}
        />
      ) : (
        <p>
          <Link href="/signin">{t('needs.signInToPost')}</Link>
        </p>
      )}
      {me.status === 'signed-in' && (
        <nav class="tabs" aria-label={t('needs.views')}>
          <Link href="/needs" class="tab" aria-current={view === 'all' ? 'page' : undefined}>
            {t('needs.tabAll')}
          </Link>
          <Link href="/needs?view=fits" class="tab" aria-current={view === 'fits' ? 'page' : undefined}>
            {t('needs.tabFits')}
          </Link>
        </nav>
      )}
      {view === 'fits' ? <FitsMyListings /> : <AllNeeds posted={posted} />}
    </>
  )
}
