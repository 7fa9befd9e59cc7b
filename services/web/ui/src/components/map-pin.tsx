import type { LatLng } from '@commons/places/coordinates'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useT } from '../lib/i18n.ts'
import { uiConfig } from '../lib/ui-config.ts'
import type { PinMap } from './leaflet-map.ts'

// Where the map opens before a district is chosen: the centre of 上海市.
const FALLBACK: LatLng = { lat: 31.2304, lng: 121.4737 }

/**
 * An optional pin on a map, for a place more precise than its district. Closed until asked for, so Leaflet
 * and the tiles load only for the people who want them; the pin is WGS-84 in and out. Without one, the
 * district's centroid stands in for distance.
 */
export function MapPin({
  districtCode,
  pin,
  onChange,
}: {
  districtCode: string
  pin: LatLng | undefined
  onChange: (pin: LatLng | undefined) => void
}) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [failed, setFailed] = useState(false)
  const element = useRef<HTMLDivElement>(null)
  const map = useRef<PinMap | undefined>(undefined)
  const latest = useRef(onChange)
  latest.current = onChange

  useEffect(() => {
    if (!open || !element.current) return
    let live = true
    const target = element.current
    Promise.all([import('./leaflet-map.ts'), uiConfig(), import('@commons/places')])
      .then(([{ createPinMap }, config, gazetteer]) => {
        if (!live) return
        const district = districtCode ? gazetteer.findDistrict(districtCode)?.district : undefined
        map.current = createPinMap(target, {
          config: config.map,
          center: pin ?? district ?? FALLBACK,
          zoom: pin ? 16 : district ? 13 : 11,
          pin,
          label: t('map.pin'),
          onPin: (p) => latest.current(p),
        })
      })
      .catch(() => live && setFailed(true))
    return () => {
      live = false
      map.current?.destroy()
      map.current = undefined
    }
    // The map is built when opened; the pin follows through setPin below, the district re-centres a new map.
  }, [open, districtCode])

  useEffect(() => map.current?.setPin(pin), [pin?.lat, pin?.lng])

  return (
    <div class="map-pin">
      <p class="hint" id="l-map-hint">
        {pin ? t('map.pinned') : t('map.optional')}
      </p>
      <div class="actions">
        <button type="button" class="btn btn-small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('map.close') : pin ? t('map.edit') : t('map.open')}
        </button>
        {open && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() => {
              const center = map.current?.center()
              if (center) onChange(center)
            }}
          >
            {t('map.pinCenter')}
          </button>
        )}
        {pin && (
          <button type="button" class="btn btn-small" onClick={() => onChange(undefined)}>
            {t('map.clear')}
          </button>
        )}
      </div>
      {open && (
        <div
          ref={element}
          class="map-pin-map"
          role="application"
          aria-label={t('map.label')}
          aria-describedby="l-map-hint"
        />
      )}
      {failed && <p class="field-error">{t('map.failed')}</p>}
    </div>
  )
}
