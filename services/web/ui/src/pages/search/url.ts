import { navigate } from '../../lib/router.tsx'

export const SORTS = ['relevance', 'rating', 'price_asc', 'price_desc', 'newest'] as const
export type Sort = (typeof SORTS)[number]

/** Writes a changed filter into the URL, which is the search page's only state; back/forward just work. */
export function update(params: URLSearchParams, changes: Record<string, string | string[] | undefined>) {
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
export const clearAll = (params: URLSearchParams) =>
  update(params, Object.fromEntries(FILTER_PARAMS.map((name) => [name, undefined])))

/** The search as the URL states it; `radiusChoice` is the radius picked before any "near me". */
export function readSearch(params: URLSearchParams, radiusChoice: number) {
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  return {
    q: params.get('q') ?? '',
    page: Number(params.get('page') ?? '1') || 1,
    sort: (SORTS as readonly string[]).includes(params.get('sort') ?? '')
      ? (params.get('sort') as Sort)
      : ('relevance' as Sort),
    free: params.get('free'),
    verified: params.get('verified') === 'true',
    capacityMin: Number(params.get('capacityMin') ?? '') || undefined,
    from,
    to,
    near: params.get('near') ?? '',
    radiusKm: Number(params.get('radiusKm') ?? '') || radiusChoice,
    windowOk: Boolean(from && to && Date.parse(from) < Date.parse(to)),
  }
}

export type SearchState = ReturnType<typeof readSearch>

/** How many filters narrow the search, for the badge and the "clear all" button. */
export function activeFilters(params: URLSearchParams, s: SearchState): number {
  return (
    params.getAll('kind').length +
    params.getAll('district').length +
    params.getAll('amenities').length +
    (s.free ? 1 : 0) +
    (s.verified ? 1 : 0) +
    (s.capacityMin ? 1 : 0) +
    (s.windowOk ? 1 : 0) +
    (s.near ? 1 : 0)
  )
}
