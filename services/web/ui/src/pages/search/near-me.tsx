import { useState } from 'preact/hooks'
import { useT } from '../../lib/i18n.ts'
import { update } from './url.ts'

export type GeoState = 'idle' | 'locating' | 'denied' | 'unsupported'

/**
 * Asks the browser where this person is and searches around it. Held by the page, not the filter panel,
 * so closing the phone's filter sheet while locating still lands on the results near here.
 */
export function useNearMe(params: URLSearchParams, radiusKm: number): { geo: GeoState; locate: () => void } {
  const [geo, setGeo] = useState<GeoState>('idle')
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
  return { geo, locate }
}

/** The radius and the "near me" button; a chosen radius waits for a position before it narrows anything. */
export function NearFilter({
  params,
  near,
  radiusKm,
  onRadius,
  geo,
  locate,
}: {
  params: URLSearchParams
  near: string
  radiusKm: number
  onRadius: (km: number) => void
  geo: GeoState
  locate: () => void
}) {
  const t = useT()
  return (
    <fieldset class="facet">
      <legend>{t('search.facet.near')}</legend>
      <div class="field">
        <label for="f-radius">{t('search.radius')}</label>
        <select
          id="f-radius"
          value={radiusKm}
          onChange={(e) => {
            const km = (e.target as HTMLSelectElement).value
            onRadius(Number(km))
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
        <button type="button" class="btn" disabled={geo === 'locating'} aria-busy={geo === 'locating'} onClick={locate}>
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
  )
}
