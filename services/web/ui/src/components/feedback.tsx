import type { ComponentChildren } from 'preact'
import { useT } from '../lib/i18n.ts'

export function Loading({ label }: { label?: string }) {
  const t = useT()
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  )
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  )
}

export function ErrorNote({ children }: { children: ComponentChildren }) {
  return (
    <p class="error-note" role="alert">
      {children}
    </p>
  )
}
