/**
 * Coordinates in China come in two datums: WGS-84 (GPS, OpenStreetMap tiles) and GCJ-02, the obfuscated
 * datum every Chinese map provider (AutoNavi/Amap, Tencent) must use; the two differ by 100–700 m. Commons
 * stores WGS-84; a map drawn on GCJ-02 tiles converts on the way in and out.
 * The transform is the published Krasovsky-ellipsoid formula; its inverse is solved by fixed-point
 * iteration, which converges to well under a metre.
 */

export interface LatLng {
  lat: number
  lng: number
}

const A = 6378245.0
const EE = 0.006693421622965943

/** GCJ-02 applies only inside China's rough bounding box; outside, both datums are the same. */
export const outOfChina = ({ lat, lng }: LatLng) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271

function transformLat(x: number, y: number) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function transformLng(x: number, y: number) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

/** WGS-84 → GCJ-02. */
export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outOfChina(p)) return { ...p }
  const dLat0 = transformLat(p.lng - 105, p.lat - 35)
  const dLng0 = transformLng(p.lng - 105, p.lat - 35)
  const radLat = (p.lat / 180) * Math.PI
  const magic = 1 - EE * Math.sin(radLat) ** 2
  const sqrtMagic = Math.sqrt(magic)
  const dLat = (dLat0 * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI)
  const dLng = (dLng0 * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return { lat: p.lat + dLat, lng: p.lng + dLng }
}

/** GCJ-02 → WGS-84, by iterating the forward transform. */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (outOfChina(p)) return { ...p }
  let guess = { ...p }
  for (let i = 0; i < 30; i++) {
    const forward = wgs84ToGcj02(guess)
    const dLat = forward.lat - p.lat
    const dLng = forward.lng - p.lng
    guess = { lat: guess.lat - dLat, lng: guess.lng - dLng }
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break
  }
  return guess
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h))
}

/** The datum a map's tiles are drawn in. */
export type MapDatum = 'gcj02' | 'wgs84'

/** A stored (WGS-84) point where it sits on a map drawn in `datum`. */
export const toMapDatum = (p: LatLng, datum: MapDatum): LatLng => (datum === 'gcj02' ? wgs84ToGcj02(p) : { ...p })

/** A point picked on a map drawn in `datum`, as Commons stores it (WGS-84). */
export const fromMapDatum = (p: LatLng, datum: MapDatum): LatLng => (datum === 'gcj02' ? gcj02ToWgs84(p) : { ...p })
