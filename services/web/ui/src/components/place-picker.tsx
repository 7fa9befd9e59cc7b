import type { Province } from '@commons/places'
import { useEffect, useState } from 'preact/hooks'
import { currentCity } from '../lib/city.ts'
import { useT } from '../lib/i18n.ts'
import { Field } from './field.tsx'

/** A place as the picker gives it: the district's code with the names listings and search use. */
export interface PickedPlace {
  districtCode: string
  city: string
  district: string
}

type Gazetteer = typeof import('@commons/places')

// The gazetteer is ~130 KB of text: it loads with the first form that needs it, not with every page.
let loading: Promise<Gazetteer> | undefined
const loadGazetteer = () => {
  loading ??= import('@commons/places')
  return loading
}

const shortName = (name: string) => (name.length > 2 && name.endsWith('市') ? name.slice(0, -1) : name)

/**
 * Province → city → district, each a select over the bundled GB/T 2260 gazetteer. Opens on the place given
 * (by code, or by names written before the gazetteer), else on the city chosen in the header.
 */
export function PlacePicker({
  idPrefix,
  value,
  onChange,
  error,
}: {
  idPrefix: string
  value: { districtCode?: string | undefined; city: string; district: string }
  onChange: (place: PickedPlace | undefined) => void
  error?: string | undefined
}) {
  const t = useT()
  const [g, setG] = useState<Gazetteer | undefined>()
  const [provinceCode, setProvinceCode] = useState('')
  const [cityCode, setCityCode] = useState('')

  useEffect(() => {
    let live = true
    loadGazetteer().then((gazetteer) => {
      if (!live) return
      setG(gazetteer)
      const place =
        (value.districtCode ? gazetteer.findDistrict(value.districtCode) : undefined) ??
        (value.district ? gazetteer.resolveDistrict(value.city, value.district) : undefined)
      if (place) {
        setProvinceCode(place.province.code)
        setCityCode(place.city.code)
        if (!value.districtCode) onChange(pick(gazetteer, place.district.code))
        return
      }
      const wanted = value.city || currentCity.get()
      for (const p of gazetteer.provinces()) {
        const c = p.cities.find((c) => shortName(c.name) === wanted)
        if (c) {
          setProvinceCode(p.code)
          setCityCode(c.code)
          return
        }
      }
    })
    return () => {
      live = false
    }
    // Opens once per form; later changes come from the selects themselves.
  }, [])

  if (!g) return <p class="muted">{t('place.loading')}</p>
  const provinces: Province[] = g.provinces()
  const province = provinces.find((p) => p.code === provinceCode)
  const city = province?.cities.find((c) => c.code === cityCode)
  const districtCode =
    value.districtCode && g.findDistrict(value.districtCode)?.city.code === cityCode ? value.districtCode : ''

  return (
    <div class="row place-picker">
      <Field id={`${idPrefix}-province`} label={t('place.province')}>
        {(a) => (
          <select
            {...a}
            value={provinceCode}
            onChange={(e) => {
              const code = (e.target as HTMLSelectElement).value
              setProvinceCode(code)
              const only = provinces.find((p) => p.code === code)?.cities
              setCityCode(only?.length === 1 ? (only[0]?.code ?? '') : '')
              onChange(undefined)
            }}
          >
            <option value="">{t('place.choose')}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${idPrefix}-city`} label={t('place.city')}>
        {(a) => (
          <select
            {...a}
            value={cityCode}
            disabled={!province}
            onChange={(e) => {
              setCityCode((e.target as HTMLSelectElement).value)
              onChange(undefined)
            }}
          >
            <option value="">{t('place.choose')}</option>
            {province?.cities.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${idPrefix}-district`} label={t('place.district')} error={error}>
        {(a) => (
          <select
            {...a}
            value={districtCode}
            disabled={!city}
            onChange={(e) => onChange(pick(g, (e.target as HTMLSelectElement).value))}
          >
            <option value="">{t('place.choose')}</option>
            {city?.districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  )
}

function pick(g: Gazetteer, code: string): PickedPlace | undefined {
  const place = g.findDistrict(code)
  return place ? { districtCode: code, city: g.cityLabel(place), district: place.district.name } : undefined
}
