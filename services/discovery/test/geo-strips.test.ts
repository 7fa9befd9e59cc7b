import t from 'tap'
import { type Box, circleStrips, distanceMeters, EARTH_RADIUS_M, type Point } from '../src/search/geo.ts'

const inBox = (p: Point, b: Box) => p.lat >= b.minLat && p.lat <= b.maxLat && p.lng >= b.minLng && p.lng <= b.maxLng

/** A deterministic generator, so a failure names the same points on every run. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

t.test('inner strips lie within the circle, outer strips cover it, and the band between is thin', async (t) => {
  const random = rng(7)
  const circles = [
    { center: { lat: 31.2304, lng: 121.4737 }, radiusM: 5000 },
    { center: { lat: 31.4, lng: 121.65 }, radiusM: 1000 },
    { center: { lat: -33.86, lng: 151.2 }, radiusM: 50_000 },
    { center: { lat: 64.1, lng: -21.9 }, radiusM: 200_000 },
    { center: { lat: 0, lng: 0 }, radiusM: 200 },
  ]
  for (const { center, radiusM } of circles) {
    const strips = circleStrips(center, radiusM, 32)
    if (!strips) {
      t.fail(`no strips for ${JSON.stringify(center)}`)
      continue
    }
    const angle = radiusM / EARTH_RADIUS_M / (Math.PI / 180)
    let inside = 0
    let band = 0
    let outsideInner = 0
    let uncovered = 0
    for (let i = 0; i < 20_000; i++) {
      // Points of the circle's bounding box, and points of the inner boxes themselves (their corners too).
      const p = {
        lat: center.lat + (random() * 2 - 1) * angle * 1.01,
        lng: center.lng + ((random() * 2 - 1) * angle * 1.01) / Math.cos((center.lat * Math.PI) / 180),
      }
      const within = distanceMeters(center, p) <= radiusM
      if (within) inside += 1
      if (within && !strips.outer.some((b) => inBox(p, b))) uncovered += 1
      if (within && !strips.inner.some((b) => inBox(p, b))) band += 1
      const b = strips.inner[Math.floor(random() * strips.inner.length)]!
      const q =
        i % 4 === 0
          ? { lat: b.minLat, lng: b.maxLng }
          : i % 4 === 1
            ? { lat: b.maxLat, lng: b.minLng }
            : {
                lat: b.minLat + random() * (b.maxLat - b.minLat),
                lng: b.minLng + random() * (b.maxLng - b.minLng),
              }
      if (distanceMeters(center, q) > radiusM) outsideInner += 1
    }
    const label = `${radiusM} m about ${center.lat},${center.lng}`
    t.equal(uncovered, 0, `${label}: every point of the circle lies in an outer strip`)
    t.equal(outsideInner, 0, `${label}: every point of an inner strip lies in the circle`)
    t.ok(band / inside < 0.1, `${label}: ${((100 * band) / inside).toFixed(1)}% of the circle is left to check`)
  }
})

t.test('a circle reaching a pole or the antimeridian has no strips (the bounding box handles it)', async (t) => {
  t.equal(circleStrips({ lat: 89.99, lng: 10 }, 5000, 32), undefined)
  t.equal(circleStrips({ lat: 10, lng: 179.99 }, 5000, 32), undefined)
  t.equal(circleStrips({ lat: 10, lng: -179.99 }, 5000, 32), undefined)
})
