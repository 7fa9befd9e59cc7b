import { tEnum, useT } from '../../lib/i18n.ts'
import { type GeoState, NearFilter } from './near-me.tsx'
import { type SearchState, update } from './url.ts'

const LIST_FACETS = [
  ['kind', 'kind', 'kind'],
  ['district', 'district', ''],
  ['amenities', 'amenities', 'amenity'],
] as const

/**
 * Every filter of the search, laid out once: beside the results on wide screens, in the filter sheet on
 * phones. Counts come from the facets of the current answer.
 */
export function FilterFields({
  params,
  search,
  facets,
  onRadius,
  geo,
  locate,
}: {
  params: URLSearchParams
  search: SearchState
  facets: Record<string, Record<string, number> | undefined>
  onRadius: (km: number) => void
  geo: GeoState
  locate: () => void
}) {
  const t = useT()
  const { free, verified, capacityMin, from, to, windowOk } = search
  return (
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
      <NearFilter
        params={params}
        near={search.near}
        radiusKm={search.radiusKm}
        onRadius={onRadius}
        geo={geo}
        locate={locate}
      />
    </>
  )
}
