import sharp from 'sharp'

/*
 * Demo photos are drawn at load time, so no image with unclear rights ships in the repository: a sky and
 * ground gradient with a building or a group of figures in the listing's colour. They are placeholders that
 * make cards and pages look as they will with real photos, not pictures of the places.
 */

const PALETTES = [
  ['#f6d365', '#fda085', '#b3261e'],
  ['#a1c4fd', '#c2e9fb', '#1f5f8b'],
  ['#d4fc79', '#96e6a1', '#1b6e3a'],
  ['#fbc2eb', '#a6c1ee', '#6a3d9a'],
  ['#fddb92', '#d1fdff', '#7a4b00'],
  ['#e0c3fc', '#8ec5fc', '#2d3a8c'],
] as const

function svg(kind: string, seed: number): string {
  const [sky, ground, ink] = PALETTES[seed % PALETTES.length] ?? PALETTES[0]
  const shift = (seed * 47) % 200
  const figure =
    kind === 'venue'
      ? `<rect x="${320 + shift}" y="250" width="520" height="330" fill="${ink}" opacity="0.85"/>
         <polygon points="${290 + shift},255 ${580 + shift},120 ${870 + shift},255" fill="${ink}"/>
         ${[0, 1, 2, 3]
           .map((i) => `<rect x="${370 + shift + i * 120}" y="320" width="70" height="90" fill="${sky}"/>`)
           .join('')}
         <rect x="${545 + shift}" y="450" width="70" height="130" fill="${ground}"/>`
      : [0, 1, 2, 3, 4]
          .map((i) => {
            const x = 260 + shift + i * 150
            const h = 150 + ((seed + i * 13) % 5) * 18
            return `<circle cx="${x}" cy="${560 - h - 45}" r="40" fill="${ink}"/>
              <rect x="${x - 50}" y="${560 - h}" width="100" height="${h}" rx="40" fill="${ink}" opacity="0.85"/>`
          })
          .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="${ground}"/></linearGradient></defs>
    <rect width="1200" height="800" fill="url(#g)"/>
    <circle cx="${950 - shift}" cy="150" r="70" fill="#fff" opacity="0.6"/>
    <rect y="580" width="1200" height="220" fill="${ink}" opacity="0.25"/>
    ${figure}
  </svg>`
}

/** A JPEG placeholder for a listing of `kind` (or an organization's logo), varied by `seed`. */
export const demoPhoto = (kind: string, seed: number): Promise<Buffer> =>
  sharp(Buffer.from(svg(kind, seed)))
    .jpeg({ quality: 80 })
    .toBuffer()
