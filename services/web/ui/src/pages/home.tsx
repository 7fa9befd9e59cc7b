import { ListingCard } from '../components/cards.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { SearchBox } from '../components/search-box.tsx'
import { api, auth } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { useLoad } from '../lib/load.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'

function Recommendations() {
  const t = useT()
  const { data } = useLoad(
    async () => (await api.GET('/v1/recommendations', { params: { query: { limit: 6 } } })).data,
    [],
  )
  if (!data || data.items.length === 0) return null
  return (
    <section class="section" aria-labelledby="recs-title">
      <h2 id="recs-title">{data.personalised ? t('home.recsForYou') : t('home.recsPopular')}</h2>
      <div class="card-grid">
        {data.items.map((hit) => (
          <ListingCard key={hit.id} hit={hit} />
        ))}
      </div>
    </section>
  )
}

export function Home() {
  const t = useT()
  const me = useStore(auth)
  return (
    <>
      <section class="hero">
        <PageTitle title={t('home.title')}>{t('home.title')}</PageTitle>
        <p class="lead">{t('home.lead')}</p>
        <SearchBox />
        <ul class="kind-links">
          {(['venue', 'expertise', 'volunteer_time'] as const).map((kind) => (
            <li key={kind}>
              <Link href={`/search?kind=${kind}`} class={`kind-link kind-${kind}`}>
                <strong>{t(`kind.${kind}`)}</strong>
                <span>{t(`home.kindHint.${kind}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {me.status === 'signed-in' && <Recommendations />}
      <section class="section how">
        <h2>{t('home.howTitle')}</h2>
        <ol class="steps">
          <li>{t('home.step1')}</li>
          <li>{t('home.step2')}</li>
          <li>{t('home.step3')}</li>
        </ol>
      </section>
    </>
  )
}
