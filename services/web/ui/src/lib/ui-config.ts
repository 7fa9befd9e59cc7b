import type { MapDatum } from '@commons/places/coordinates'

/** What the entry point tells the browser about this deployment (`/ui-config.json`). */
export interface UiConfig {
  stripeJsUrl: string
  map: { tileUrl: string; subdomains: string; datum: MapDatum; attribution: string }
}

let loading: Promise<UiConfig> | undefined

/** Fetched once per page load, when a page first needs it; a failed fetch is retried by the next caller. */
export function uiConfig(): Promise<UiConfig> {
  loading ??= fetch('/ui-config.json').then(async (res) => {
    if (!res.ok) throw new Error(`ui-config ${res.status}`)
    return (await res.json()) as UiConfig
  })
  loading.catch(() => {
    loading = undefined
  })
  return loading
}
