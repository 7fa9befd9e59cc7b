import { useState } from 'preact/hooks'
import { FilterSheet } from '../../components/filter-sheet.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { SearchBox } from '../../components/search-box.tsx'
import { api } from '../../lib/api.ts'
import { currentCity } from '../../lib/city.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { FilterFields } from './filters.tsx'
import { useNearMe } from './near-me.tsx'
import { QuickChips, SortSelect } from './quick-chips.tsx'
import { Results } from './results.tsx'
import { activeFilters, clearAll, readSearch } from './url.ts'

export default function SearchPage() {
  const t = useT()
  const params = useQuery()
  const key = params.toString()
  // The header's city scopes the search, unless the link names another city or asks for what is near.
  const chosenCity = useStore(currentCity)
  const city = params.get('city') ?? chosenCity
  const [radiusChoice, setRadiusChoice] = useState(5)
  const search = readSearch(params, radiusChoice)
  const { q, page, sort, free, verified, capacityMin, from, to, near, radiusKm, windowOk } = search
  const { geo, locate } = useNearMe(params, radiusKm)

  // Phones see the results first and open the filters on demand; wide screens keep them open beside.
  const [wide] = useState(() => window.matchMedia('(min-width: 64rem)').matches)
  const [sheet, setSheet] = useState<{ focus: string | undefined } | undefined>()
  const active = activeFilters(params, search)

  const result = useLoad(
    async () =>
      must(
        await api.GET('/v1/search', {
          params: {
            query: {
              q,
              page,
              perPage: 12,
              sort,
              kind: params.getAll('kind'),
              district: params.getAll('district'),
              amenities: params.getAll('amenities'),
              ...(capacityMin ? { capacityMin } : {}),
              ...(free === 'true' || free === 'false' ? { free } : {}),
              ...(verified ? { verified: 'true' as const } : {}),
              ...(windowOk ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {}),
              ...(near ? { near, radiusKm } : { city: [city] }),
            },
          },
        }),
      ),
    [key, city],
  )
  const data = result.data
  const facets = data?.facets ?? {}

  const filterFields = (
    <FilterFields
      params={params}
      search={search}
      facets={facets}
      onRadius={setRadiusChoice}
      geo={geo}
      locate={locate}
    />
  )
  const sortSelect = <SortSelect params={params} sort={sort} chip={!wide} />

  return (
    <div class="search-page">
      <PageTitle title={q ? t('search.titleFor', { q }) : t('search.title')}>
        {q ? t('search.titleFor', { q }) : t('search.title')}
      </PageTitle>
      <SearchBox key={q} initial={q} />
      <div class="search-layout">
        {wide ? (
          <aside class="filters" aria-labelledby="filters-title">
            <div class="filters-head">
              <h2 id="filters-title" class="filters-title">
                {t('search.filters')}
                {active > 0 && <span class="badge">{active}</span>}
              </h2>
              {active > 0 && (
                <button type="button" class="btn btn-quiet" onClick={() => clearAll(params)}>
                  {t('search.clearAll')}
                </button>
              )}
            </div>
            {filterFields}
          </aside>
        ) : (
          <QuickChips
            params={params}
            free={free}
            active={active}
            sortSelect={sortSelect}
            openSheet={(focus) => setSheet({ focus })}
          />
        )}
        {!wide && sheet && (
          <FilterSheet
            total={data?.total}
            loading={result.loading}
            active={active}
            focus={sheet.focus}
            onClear={() => clearAll(params)}
            onClose={() => {
              setSheet(undefined)
              window.scrollTo(0, 0)
            }}
          >
            {filterFields}
          </FilterSheet>
        )}
        <Results params={params} q={q} page={page} result={result} sortSelect={wide ? sortSelect : undefined} />
      </div>
    </div>
  )
}
