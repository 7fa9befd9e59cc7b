import type { ListingFields, Location } from '@commons/contracts'
import { cityLabel, findDistrict, type Place, resolveDistrict } from '@commons/places'
import { unprocessable } from '@commons/service-kit'

/** The district a code names, or 422 `place_unknown`. */
export function placeOfCode(code: string, field: string): Place {
  const place = findDistrict(code)
  if (!place) throw unprocessable('place_unknown', `${field}: ${code} is not a district of the gazetteer`)
  return place
}

/** The place's names as listings and search spell them, with its codes. */
export const placeNames = (place: Place) => ({
  provinceCode: place.province.code,
  province: place.province.name,
  cityCode: place.city.code,
  city: cityLabel(place),
  districtCode: place.district.code,
  district: place.district.name,
})

/**
 * A listing's location checked against the gazetteer: a code must name a district, and its names replace
 * the ones sent; names alone get codes when they name exactly one district. A venue needs a known
 * district or a pin, because distance search needs a point.
 */
export function placeListing(fields: ListingFields): ListingFields {
  const { provinceCode: _p, province: _pn, cityCode: _c, districtCode, ...rest } = fields.location
  const place = districtCode
    ? placeOfCode(districtCode, 'body.location.districtCode')
    : resolveDistrict(rest.city, rest.district)
  const location: Location = place ? { ...rest, ...placeNames(place) } : rest
  if (fields.kind === 'venue' && !place && location.lat === undefined) {
    throw unprocessable(
      'place_unknown',
      `body.location: ${rest.city} ${rest.district} is not a district of the gazetteer, and the venue has no pin`,
    )
  }
  return { ...fields, location }
}
