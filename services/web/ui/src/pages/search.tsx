import { useState } from 'preact/hooks'
import { ListingCard } from '../components/cards.tsx'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { FilterSheet } from '../components/filter-sheet.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { SearchBox } from '../components/search-box.tsx'
import { api } from '../lib/api.ts'
import { currentCity } from '../lib/city.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { Link, navigate, useQuery } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'

const SORTS = ['relevance', 'rating', 'price_asc', 'price_desc', 'newest'] as const
type Sort = (typeof SORTS)[number]
const LIST_FACETS = [
  ['kind', 'kind', 'kind'],
  ['district', 'district', ''],
  ['amenities', 'amenities', 'amenity'],
] as const

/** Writes a changed filter into the URL, which is the search page's only state; back/forward just work. */
function update(params: URLSearchParams, changes: Record<string, string | string[] | undefined>) {
  const next = new URLSearchParams(params)
  for (const [key, value] of Object.entries(changes)) {
    next.delete(key)
    for (const v of Array.isArray(value) ? value : value ? [value] : []) next.append(key, v)
  }
  if (!('page' in changes)) next.delete('page')
  navigate(`/search?${next.toString()}`, { replace: true })
  // A new page starts at its top, not where the pager was; the heading takes focus for screen readers.
  if ('page' in changes) {
    window.scrollTo(0, 0)
    document.getElementById('results-title')?.focus({ preventScroll: true })
  }
}

/** Every filter the page knows, cleared at once (the words searched for stay). */
const FILTER_PARAMS = [
  'kind',
  'district',
  'amenities',
  'free',
  'verified',
  'capacityMin',
  'from',
  'to',
  'near',
  'radiusKm',
]
const clearAll = (params: URLSearchParams) =>
  update(params, Object.fromEntries(FILTER_PARAMS.map((name) => [name, undefined])))

export default function SearchPage() {
  const t = useT()
  const params = useQuery()
  const key = params.toString()
  const q = params.get('q') ?? ''
  const page = Number(params.get('page') ?? '1') || 1
  const sort = (SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as Sort)
    : 'relevance'
  const free = params.get('free')
  const verified = params.get('verified') === 'true'
  const capacityMin = Number(params.get('capacityMin') ?? '') || undefined
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  const near = params.get('near') ?? ''
  // The header's city scopes the search, unless the link names another city or asks for what is near.
  const chosenCity = useStore(currentCity)
  const city = params.get('city') ?? chosenCity
  const [radiusChoice, setRadiusChoice] = useState(5)
  const radiusKm = Number(params.get('radiusKm') ?? '') || radiusChoice
  const windowOk = Boolean(from && to && Date.parse(from) < Date.parse(to))
  const [geo, setGeo] = useState<'idle' | 'locating' | 'denied' | 'unsupported'>('idle')
  const locate = () => {
    if (!('geolocation' in navigator)) return setGeo('unsupported')
    setGeo('locating')
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setGeo('idle')
        update(params, {
          near: `${pos.coords.latitude.toFixed(5)},${pos.coords.longitude.toFixed(5)}`,
          radiusKm: String(radiusKm),
        })
      },
      () => setGeo('denied'),
      { timeout: 10_000, maximumAge: 300_000 },
    )
  }

  // Phones see the results first and open the filters on demand; wide screens keep them open beside.
  const [wide] = useState(() => window.matchMedia('(min-width: 64rem)').matches)
  const [sheet, setSheet] = useState<{ focus: string | undefined } | undefined>()
  const active =
    params.getAll('kind').length +
    params.getAll('district').length +
    params.getAll('amenities').length +
    (free ? 1 : 0) +
    (verified ? 1 : 0) +
    (capacityMin ? 1 : 0) +
    (windowOk ? 1 : 0) +
    (near ? 1 : 0)

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
  const pages = data ? Math.max(1, Math.ceil(data.total / data.perPage)) : 1

  const filterFields = (
    <>
      {LIST_FACETS.map(([param, facet, prefix]) => {
        const counts = facets[facet] ?? {}
        const selected = params.getAll(param)
        const values = [...new Set([...Object.keys(counts), ...selected])]
        if (values.length === 0) return null
        return (
          <fieldset key={param} class="facet" data-facet={param}>
            <legend>{t(`search.facet.${param}`)}</legend>
            {values.map((value) => {
              const id = `f-${param}-${value}`
              const checked = selected.includes(value)
              return (
                <div class="check" key={value}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={checked}
                    onChange={() =>
                      update(params, {
                        [param]: checked ? selected.filter((v) => v !== value) : [...selected, value],
                      })
                    }
                  />
                  <label for={id}>
                    {prefix ? tEnum(prefix, value) : value}
                    <span class="count">{counts[value] ?? 0}</span>
                  </label>
                </div>
              )
            })}
          </fieldset>
        )
      })}
      <fieldset class="facet" data-facet="free">
        <legend>{t('search.facet.price')}</legend>
        {(
          [
            ['', t('search.price.any')],
            ['true', t('search.price.free')],
            ['false', t('search.price.fee')],
          ] as const
        ).map(([value, label]) => (
          <div class="check" key={value}>
            <input
              type="radio"
              name="free"
              id={`f-free-${value || 'any'}`}
              checked={(free ?? '') === value}
              onChange={() => update(params, { free: value || undefined })}
            />
            <label for={`f-free-${value || 'any'}`}>
              {label}
              {value && <span class="count">{facets.pricingModel?.[value === 'true' ? 'free' : 'fee'] ?? 0}</span>}
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset class="facet">
        <legend>{t('search.facet.more')}</legend>
        <div class="check">
          <input
            type="checkbox"
            id="f-verified"
            checked={verified}
            onChange={() => update(params, { verified: verified ? undefined : 'true' })}
          />
          <label for="f-verified">
            {t('search.verifiedOnly')}
            <span class="count">{facets.organizationVerified?.true ?? 0}</span>
          </label>
        </div>
        <div class="field">
          <label for="f-capacity">{t('search.capacityMin')}</label>
          <input
            id="f-capacity"
            type="number"
            inputMode="numeric"
            min={1}
            value={capacityMin ?? ''}
            onChange={(e) => update(params, { capacityMin: (e.target as HTMLInputElement).value || undefined })}
          />
        </div>
      </fieldset>
      <fieldset class="facet">
        <legend>{t('search.facet.window')}</legend>
        <div class="field">
          <label for="f-from">{t('search.from')}</label>
          <input
            id="f-from"
            type="datetime-local"
            value={from}
            onChange={(e) => update(params, { from: (e.target as HTMLInputElement).value || undefined })}
          />
        </div>
        <div class={`field${from && to && !windowOk ? ' has-error' : ''}`}>
          <label for="f-to">{t('search.to')}</label>
          <input
            id="f-to"
            type="datetime-local"
            value={to}
            min={from || undefined}
            aria-invalid={from && to && !windowOk ? true : undefined}
            aria-describedby={from && to && !windowOk ? 'f-to-error' : 'f-window-hint'}
            onChange={(e) => update(params, { to: (e.target as HTMLInputElement).value || undefined })}
          />
          {from && to && !windowOk ? (
            <p class="field-error" id="f-to-error">
              {t('search.windowInvalid')}
            </p>
          ) : (
            <p class="hint" id="f-window-hint">
              {t('search.windowHint')}
            </p>
          )}
        </div>
      </fieldset>
      <fieldset class="facet">
        <legend>{t('search.facet.near')}</legend>
        <div class="field">
          <label for="f-radius">{t('search.radius')}</label>
          <select
            id="f-radius"
            value={radiusKm}
            onChange={(e) => {
              const km = (e.target as HTMLSelectElement).value
              setRadiusChoice(Number(km))
              if (near) update(params, { radiusKm: km })
            }}
          >
            {[1, 3, 5, 10, 20, 50].map((km) => (
              <option key={km} value={km}>
                {t('search.km', { km })}
              </option>
            ))}
          </select>
        </div>
        {near ? (
          <button
            type="button"
            class="btn btn-quiet"
            onClick={() => update(params, { near: undefined, radiusKm: undefined })}
          >
            {t('search.nearClear')}
          </button>
        ) : (
          <button
            type="button"
            class="btn"
            disabled={geo === 'locating'}
            aria-busy={geo === 'locating'}
            onClick={locate}
          >
            {geo === 'locating' ? t('search.locating') : t('search.nearMe')}
          </button>
        )}
        {(geo === 'denied' || geo === 'unsupported') && (
          <p class="field-error" role="alert">
            {geo === 'denied' ? t('search.geoDenied') : t('search.geoUnsupported')}
          </p>
        )}
        {near && <p class="hint">{t('search.nearActive', { km: radiusKm })}</p>}
      </fieldset>
    </>
  )
  const sortSelect = (
    <label class={wide ? 'sort' : 'sort chip'}>
      {t('search.sort')}
      <select value={sort} onChange={(e) => update(params, { sort: (e.target as HTMLSelectElement).value })}>
        {SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`search.sort.${s}`)}
          </option>
        ))}
      </select>
    </label>
  )
  // Suggestions that only repeat what was typed lead nowhere.
  const suggestions = (data?.suggestions ?? []).filter((s) => s.trim().toLowerCase() !== q.trim().toLowerCase())

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
          <nav class="quick-chips" aria-label={t('search.quick')}>
            <button type="button" class="chip" aria-haspopup="dialog" onClick={() => setSheet({ focus: undefined })}>
              {t('search.filters')}
              {active > 0 && <span class="badge">{active}</span>}
            </button>
            <button
              type="button"
              class={`chip${params.getAll('district').length ? ' is-on' : ''}`}
              aria-haspopup="dialog"
              onClick={() => setSheet({ focus: 'district' })}
            >
              {t('search.chip.district')}
            </button>
            <button
              type="button"
              class={`chip${params.getAll('kind').length ? ' is-on' : ''}`}
              aria-haspopup="dialog"
              onClick={() => setSheet({ focus: 'kind' })}
            >
              {t('search.chip.kind')}
            </button>
            <button
              type="button"
              class={`chip${free === 'true' ? ' is-on' : ''}`}
              aria-pressed={free === 'true'}
              onClick={() => update(params, { free: free === 'true' ? undefined : 'true' })}
            >
              {t('search.chip.free')}
            </button>
            {sortSelect}
            {active > 0 && (
              <button type="button" class="chip chip-clear" onClick={() => clearAll(params)}>
                {t('search.clearAll')}
              </button>
            )}
          </nav>
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
        <section class="results" aria-labelledby="results-title">
          <div class="results-bar">
            <h2 id="results-title" class="results-title" aria-live="polite" tabIndex={-1}>
              {data ? t('search.total', { n: data.total }) : t('search.results')}
            </h2>
            {wide && sortSelect}
          </div>
          {result.loading && !data && <Loading label={t('search.loading')} />}
          {result.error !== undefined && <ErrorNote>{t('search.error')}</ErrorNote>}
          {data?.didYouMean && (
            <p class="hint did-you-mean">
              {t('search.didYouMean')}
              <strong>{data.didYouMean}</strong>
            </p>
          )}
          {data && data.hits.length === 0 && (
            <Empty title={t('search.empty')}>
              <p>{t('search.emptyHint')}</p>
              {suggestions.length > 0 && (
                <>
                  <p>{t('search.tryInstead')}</p>
                  <ul class="tags">
                    {suggestions.map((s) => (
                      <li key={s}>
                        <Link href={`/search?${new URLSearchParams({ q: s })}`}>{s}</Link>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Empty>
          )}
          {data && data.hits.length === 0 && data.popular && data.popular.length > 0 && (
            <section class="popular" aria-labelledby="popular-title">
              <h3 id="popular-title" class="popular-title">
                {t('search.popular')}
              </h3>
              <div class="card-grid">
                {data.popular.map((hit) => (
                  <ListingCard key={hit.id} hit={hit} />
                ))}
              </div>
            </section>
          )}
          {data && data.hits.length > 0 && (
            <div class={`card-grid${result.loading ? ' is-stale' : ''}`} aria-busy={result.loading}>
              {data.hits.map((hit) => (
                <ListingCard key={hit.id} hit={hit} />
              ))}
            </div>
          )}
          {data && pages > 1 && (
            <nav class="pager" aria-label={t('search.pages')}>
              <button
                type="button"
                class="btn"
                disabled={page <= 1}
                onClick={() => update(params, { page: String(page - 1) })}
              >
                {t('search.prev')}
              </button>
              <span>{t('search.pageOf', { page, pages })}</span>
              <button
                type="button"
                class="btn"
                disabled={page >= pages}
                onClick={() => update(params, { page: String(page + 1) })}
              >
                {t('search.next')}
              </button>
            </nav>
          )}
        </section>
      </div>
    </div>
  )
}
