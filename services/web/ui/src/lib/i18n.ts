import en from '../messages/en.ts'
import zhCN, { type MessageKey } from '../messages/zh-CN.ts'
import { createStore, useStore } from './store.ts'

export type { MessageKey }
export type Lang = 'zh-CN' | 'en'
export const LANGS: Lang[] = ['zh-CN', 'en']
const CATALOGS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }
const STORAGE_KEY = 'commons.lang'

function initialLang(): Lang {
  const stored = readStorage(STORAGE_KEY)
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN'
}

/** The UI language; Simplified Chinese unless the person chose English (remembered in localStorage). */
export const lang = createStore<Lang>(initialLang())
document.documentElement.lang = lang.get()

export function setLang(next: Lang) {
  lang.set(next)
  document.documentElement.lang = next
  writeStorage(STORAGE_KEY, next)
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[lang.get()][key] ?? zhCN[key] ?? key
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text
}

/** Looks up a message whose key is built from an enum value, e.g. `kind.venue`; falls back to the value. */
export function tEnum(prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey
  return key in zhCN ? t(key) : value
}

/** Re-renders the component when the language changes; returns `t`. */
export function useT() {
  useStore(lang)
  return t
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(lang.get(), { style: 'currency', currency }).format(amount / 100)
}

export function formatDateTime(iso: string, timeZone = 'Asia/Shanghai', opts: Intl.DateTimeFormatOptions = {}) {
  return new Intl.DateTimeFormat(lang.get(), { dateStyle: 'medium', timeStyle: 'short', timeZone, ...opts }).format(
    new Date(iso),
  )
}

export function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writeStorage(key: string, value: string | null) {
  try {
    if (value === null) window.localStorage.removeItem(key)
    else window.localStorage.setItem(key, value)
  } catch {
    // Private modes without storage: the session simply lasts as long as the page.
  }
}
