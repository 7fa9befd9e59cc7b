import { useState } from 'preact/hooks'
import { PageTitle } from '../../components/page-title.tsx'
import { auth } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { Link, navigate, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { MyNeeds } from './my-needs.tsx'
import { AllNeeds, FitsMyListings } from './need-lists.tsx'
import { PostNeed } from './post-need.tsx'

export default function NeedsPage() {
  const t = useT()
  const me = useStore(auth)
  const asked = useQuery().get('view')
  const view = (asked === 'fits' || asked === 'mine') && me.status === 'signed-in' ? asked : 'all'
  // Bumped when the member posts a need, so the list reloads with it on top.
  const [posted, setPosted] = useState(0)
  const [justPosted, setJustPosted] = useState<string | undefined>()
  return (
    <>
      <PageTitle title={t('needs.title')}>{t('needs.title')}</PageTitle>
      <p class="lead">{t('needs.lead')}</p>
      {me.status === 'signed-in' ? (
        <>
          {justPosted && (
            <div class="notice notice-ok" role="status">
              <p>{t('needs.posted', { title: justPosted })}</p>
              <Link href="/needs?view=mine">{t('needs.tabMine')}</Link>
            </div>
          )}
          <PostNeed
            onPosted={(need) => {
              setPosted((n) => n + 1)
              setJustPosted(need.title)
              if (view === 'fits') navigate('/needs')
            }}
          />
        </>
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
          <Link href="/needs?view=mine" class="tab" aria-current={view === 'mine' ? 'page' : undefined}>
            {t('needs.tabMine')}
          </Link>
        </nav>
      )}
      {view === 'fits' ? (
        <FitsMyListings />
      ) : view === 'mine' ? (
        <MyNeeds posted={posted} />
      ) : (
        <AllNeeds posted={posted} />
      )}
    </>
  )
}
