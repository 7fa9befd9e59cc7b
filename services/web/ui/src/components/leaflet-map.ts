import 'leaflet/dist/leaflet.css'
import { fromMapDatum, type LatLng, toMapDatum } from '@commons/places/coordinates'
import L from 'leaflet'
import type { UiConfig } from '../lib/ui-config.ts'

export interface PinMap {
  /** Moves the pin (WGS-84), or removes it with undefined, without reporting a change. */
  setPin(pin: LatLng | undefined): void
  /** The map's centre, in WGS-84. */
  center(): LatLng
  destroy(): void
}

/**
 * A Leaflet map in `element` that reports where the person drops or drags the pin. Everything outside is
 * WGS-84; the conversion to the tiles' datum (GCJ-02 for AutoNavi) happens only here, at the map's edge.
 * Tiles that fail to load (no network, a blocked host) leave a blank map that still takes a pin.
 */
export function createPinMap(
  element: HTMLElement,
  options: {
    config: UiConfig['map']
    center: LatLng
    zoom: number
    pin: LatLng | undefined
    label: string
    onPin: (pin: LatLng) => void
  },
): PinMap {
  const { datum } = options.config
  const onMap = (p: LatLng) => {
    const q = toMapDatum(p, datum)
    return L.latLng(q.lat, q.lng)
  }
  const stored = (p: L.LatLng) => fromMapDatum({ lat: p.lat, lng: p.lng }, datum)

  const map = L.map(element, { center: onMap(options.center), zoom: options.zoom })
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>')
  L.tileLayer(options.config.tileUrl, {
    subdomains: options.config.subdomains || 'abc',
    attribution: options.config.attribution,
    maxZoom: 18,
    minZoom: 3,
  }).addTo(map)

  // A drawn pin rather than Leaflet's image icon: nothing to fetch, and it scales with the text.
  const icon = L.divIcon({
    className: 'map-pin-marker',
    html: '<span></span>',
    iconSize: [24, 24],
    iconAnchor: [12, 24],
  })
  let marker: L.Marker | undefined
  const place = (p: LatLng | undefined) => {
    if (!p) {
      marker?.remove()
      marker = undefined
      return
    }
    if (marker) marker.setLatLng(onMap(p))
    else {
      marker = L.marker(onMap(p), { icon, draggable: true, keyboard: true, title: options.label, alt: options.label })
      marker.on('dragend', () => marker && options.onPin(stored(marker.getLatLng())))
      marker.addTo(map)
    }
  }
  place(options.pin)
  map.on('click', (e: L.LeafletMouseEvent) => {
    const p = stored(e.latlng)
    place(p)
    options.onPin(p)
  })

  return {
    setPin: place,
    center: () => stored(map.getCenter()),
    destroy: () => map.remove(),
  }
}
