import { CITY_CHOICES, DEFAULT_CITY } from '@commons/places/cities'
import { readStorage, writeStorage } from './i18n.ts'
import { createStore } from './store.ts'

const STORAGE_KEY = 'commons.city'

function initialCity(): string {
  const stored = readStorage(STORAGE_KEY)
  return stored && CITY_CHOICES.some((c) => c.name === stored) ? stored : DEFAULT_CITY
}

/** The city the person browses: search and the home page start from it. Remembered in localStorage. */
export const currentCity = createStore<string>(initialCity())

export function setCity(next: string) {
  currentCity.set(next)
  writeStorage(STORAGE_KEY, next)
}

export { CITY_CHOICES }
