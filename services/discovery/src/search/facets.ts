/**
 * Facet counts over documents discovery already holds, added to `counted` (counts Meilisearch gave for
 * other documents, such as a near search's inner strips), as Meilisearch's `facetDistribution` gives them
 * with this index's faceting settings (`maxValuesPerFacet` values per facet, most frequent first). A
 * "near" or window search checks its candidates in discovery anyway; counting their facets here spares a
 * second search whose filter would list every one of their ids (see docs/architecture.md). `counted` must
 * be whole (fewer than `maxValuesPerFacet` values per facet) for the result to be exact.
 */
export function facetDistribution(
  docs: ReadonlyArray<Record<string, unknown>>,
  facets: readonly string[],
  maxValuesPerFacet: number,
  counted: Record<string, Record<string, number>> = {},
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const facet of facets) {
    const counts = new Map<string, number>(Object.entries(counted[facet] ?? {}))
    for (const doc of docs) {
      const value = doc[facet]
      // A document counts once per distinct value, as Meilisearch counts array attributes.
      const values = new Set((Array.isArray(value) ? value : [value]).flatMap(facetKey))
      for (const key of values) counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    out[facet] = Object.fromEntries(
      [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, maxValuesPerFacet),
    )
  }
  return out
}

/** How Meilisearch names a facet value: strings as they are, numbers and booleans as text; no nulls. */
function facetKey(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)]
  return []
}
