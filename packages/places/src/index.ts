import { GAZETTEER_TEXT } from './gazetteer-data.ts'

/**
 * China's administrative divisions (GB/T 2260), bundled: provinces, prefecture-level cities and districts
 * (county level) with a centroid per district. See scripts/build-gazetteer.ts for the sources.
 */

/** Where a district's centroid came from: the data package's own point, or the mean of its city or province. */
export type CentroidSource = 'package' | 'city' | 'province'

export interface District {
  code: string
  name: string
  lat: number
  lng: number
  centroidSource: CentroidSource
  cityCode: string
  provinceCode: string
}
export interface City {
  code: string
  name: string
  provinceCode: string
  districts: District[]
}
export interface Province {
  code: string
  name: string
  cities: City[]
}

/** A district with the city and province it belongs to. */
export interface Place {
  province: Province
  city: City
  district: District
}

const SOURCES: Record<string, CentroidSource> = { p: 'package', c: 'city', v: 'province' }

interface Index {
  provinces: Province[]
  districts: Map<string, Place>
  cities: Map<string, { province: Province; city: City }>
}

let index: Index | undefined

// Parsed on first use: a service that never looks a place up pays nothing for the table.
function load(): Index {
  if (index) return index
  const provinces: Province[] = []
  const districts = new Map<string, Place>()
  const cities = new Map<string, { province: Province; city: City }>()
  let province: Province | undefined
  let city: City | undefined
  for (const line of GAZETTEER_TEXT.split('\n')) {
    const [type, code = '', name = '', lat, lng, source] = line.split('|')
    if (type === 'P') {
      province = { code, name, cities: [] }
      provinces.push(province)
    } else if (type === 'C' && province) {
      city = { code, name, provinceCode: province.code, districts: [] }
      province.cities.push(city)
      cities.set(code, { province, city })
    } else if (type === 'D' && province && city) {
      const district: District = {
        code,
        name,
        lat: Number(lat),
        lng: Number(lng),
        centroidSource: SOURCES[source ?? 'p'] ?? 'package',
        cityCode: city.code,
        provinceCode: province.code,
      }
      city.districts.push(district)
      // 东莞, 中山 and 儋州 have no counties: the city is its own district and keeps the city's code.
      if (!districts.has(code)) districts.set(code, { province, city, district })
    }
  }
  index = { provinces, districts, cities }
  return index
}

/** All provinces in code order, each with its cities and their districts. */
export const provinces = (): Province[] => load().provinces

/** The district with this 6-digit code, with its city and province; undefined when the code is not one. */
export const findDistrict = (code: string): Place | undefined => load().districts.get(code)

/** The prefecture-level city (or municipality) with this code. */
export const findCity = (code: string) => load().cities.get(code)

/**
 * A city's name as listings and search use it: without the formal suffix 市 (上海市 → 上海), the same rule
 * as contracts' `normalizeCity`. Counties directly under a province take their own name as the city.
 */
export function cityLabel(place: Place): string {
  const name = place.city.name.includes('直辖县级') ? place.district.name : place.city.name
  return name.length > 2 && name.endsWith('市') ? name.slice(0, -1) : name
}

/**
 * The one district named `district` in the city written `city` (either spelling, 上海 or 上海市); undefined
 * when there is none or more than one. Used to give codes to places written before the gazetteer.
 */
export function resolveDistrict(city: string, district: string): Place | undefined {
  const wanted = city.length > 2 && city.endsWith('市') ? city.slice(0, -1) : city
  let found: Place | undefined
  for (const place of load().districts.values()) {
    if (place.district.name !== district || cityLabel(place) !== wanted) continue
    if (found) return undefined
    found = place
  }
  return found
}
