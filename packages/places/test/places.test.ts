import t from 'tap'
import { CITY_CHOICES } from '../src/cities.ts'
import { distanceKm, fromMapDatum, gcj02ToWgs84, toMapDatum, wgs84ToGcj02 } from '../src/coordinates.ts'
import { cityLabel, findCity, findDistrict, provinces, resolveDistrict } from '../src/index.ts'

t.test('the gazetteer holds the mainland divisions with GB/T 2260 codes and a centroid each', async (t) => {
  const all = provinces().flatMap((p) => p.cities.flatMap((c) => c.districts))
  t.equal(provinces().length, 31)
  t.ok(all.length > 2900, `${all.length} districts`)
  for (const d of all) {
    if (!/^\d{6}$/.test(d.code) || !(d.lat > 3 && d.lat < 54 && d.lng > 73 && d.lng < 136)) {
      t.fail(`${d.code} ${d.name} ${d.lat},${d.lng}`)
    }
  }
  t.ok(all.filter((d) => d.centroidSource === 'package').length > 2600, 'most centroids come from the package')
})

t.test('a district code names its district, city and province', async (t) => {
  const place = findDistrict('310115')
  t.equal(place?.district.name, '浦东新区')
  t.equal(place?.city.code, '310100')
  t.equal(place?.province.name, '上海市')
  t.equal(place && cityLabel(place), '上海')
  // Pudong's centroid lies within Pudong, east of the river from the Bund (121.49).
  t.ok(place && place.district.lng > 121.5 && Math.abs(place.district.lat - 31.2) < 0.15)
  t.equal(findDistrict('310199'), undefined)
  t.equal(findDistrict('441900')?.district.name, '东莞市', 'a city without counties is its own district')
})

t.test('names written before the gazetteer resolve to one district, in either spelling of the city', async (t) => {
  t.equal(resolveDistrict('上海', '浦东新区')?.district.code, '310115')
  t.equal(resolveDistrict('上海市', '浦东新区')?.district.code, '310115')
  t.equal(resolveDistrict('深圳', '南山区')?.district.code, '440305')
  t.equal(resolveDistrict('北京', '朝阳区')?.district.code, '110105', '朝阳区 of Beijing, not of Changchun')
  t.equal(resolveDistrict('上海', '南山区'), undefined)
  t.equal(resolveDistrict('仙桃', '仙桃市')?.district.code, '429004', 'a county under a province is its own city')
})

t.test('every city of the switcher is in the gazetteer under that name', async (t) => {
  for (const choice of CITY_CHOICES) {
    const city = findCity(choice.code)?.city
    t.equal(city?.name.replace(/市$/, ''), choice.name, choice.code)
  }
})

t.test('GCJ-02 and WGS-84 convert both ways within a metre', async (t) => {
  // The Bund: the well-known offset is about 0.0045° east and 0.002° south... in GCJ-02, ~500 m.
  const wgs = { lat: 31.2397, lng: 121.4998 }
  const gcj = wgs84ToGcj02(wgs)
  const shift = distanceKm(wgs, gcj)
  t.ok(shift > 0.3 && shift < 0.8, `shift ${shift} km`)
  const back = gcj02ToWgs84(gcj)
  t.ok(distanceKm(wgs, back) < 0.001)
  t.same(wgs84ToGcj02({ lat: 48.85, lng: 2.35 }), { lat: 48.85, lng: 2.35 }, 'outside China nothing moves')
})

t.test('a pin dropped on GCJ-02 tiles is stored in WGS-84, and a stored point lands on the same spot', async (t) => {
  // The Oriental Pearl Tower as AutoNavi draws it; the stored point is a few hundred metres away from it.
  const onGaode = { lat: 31.239703, lng: 121.499763 }
  const stored = fromMapDatum(onGaode, 'gcj02')
  t.ok(distanceKm(stored, onGaode) > 0.3, 'the datums differ by hundreds of metres in Shanghai')
  t.ok(distanceKm(toMapDatum(stored, 'gcj02'), onGaode) < 0.001, 'and the round trip comes back within a metre')
  t.same(fromMapDatum(onGaode, 'wgs84'), onGaode, 'WGS-84 tiles need no conversion')
  t.same(toMapDatum(onGaode, 'wgs84'), onGaode)
})
