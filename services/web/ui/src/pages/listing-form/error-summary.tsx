import { useEffect, useRef } from 'preact/hooks'
import { type MessageKey, t, useT } from '../../lib/i18n.ts'

/** Where an error's link in the summary leads: the input itself, or the editor holding it. */
function anchorOf(path: string): string {
  if (path.startsWith('availability.weekly')) return '#l-availability-weekly'
  const exception = /^availability\.exceptions\.(\d+)\.(hours|closed)/.exec(path)
  if (exception) return `#l-availability-exceptions-${exception[1]}-closed`
  return `#l-${path.replaceAll('.', '-')}`
}

/** Labels of the fields not drawn by `text()` (selects, checkbox groups, text areas). */
function fieldLabel(path: string): string {
  const known: Record<string, MessageKey> = {
    description: 'form.description',
    photos: 'form.photos',
    amenities: 'listing.amenities',
    formats: 'listing.formats',
    delivery: 'listing.delivery',
    pricing: 'listing.price',
    rules: 'form.rules',
    availability: 'form.weekly',
    'availability.weekly': 'form.weekly',
    'availability.exceptions': 'hours.exceptions',
    location: 'listing.location',
  }
  const key = known[path] ?? known[path.split('.').slice(0, 2).join('.')] ?? known[path.split('.')[0] ?? '']
  return key ? t(key) : path
}

/**
 * The errors of the last attempt, each linking to its field; takes focus when they change so screen readers
 * announce them and keyboard users start from the list.
 */
export function ErrorSummary({ errors, labels }: { errors: Record<string, string>; labels: Record<string, string> }) {
  const t = useT()
  const summary = useRef<HTMLDivElement>(null)
  useEffect(() => {
    summary.current?.focus()
  }, [errors])
  return (
    <div class="error-summary" ref={summary} tabIndex={-1} role="alert">
      <p>{t('form.fixErrors')}</p>
      <ul>
        {Object.entries(errors).map(([path, message]) => (
          <li key={path}>
            <a href={anchorOf(path)}>{labels[path] ?? fieldLabel(path)}</a>：{message}
          </li>
        ))}
      </ul>
    </div>
  )
}
