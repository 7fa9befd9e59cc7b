import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { useT } from '../lib/i18n.ts'

/**
 * The search filters on a phone: a sheet rising from the bottom, its footer kept in view with the number
 * of results the filters give and a way to clear them all. A modal <dialog>, so the browser keeps focus
 * inside, makes the page behind inert, closes on Escape and hands focus back to the chip that opened it.
 */
export function FilterSheet(props: {
  total: number | undefined
  loading: boolean
  active: number
  /** The fieldset to bring into view when the sheet opens (a quick chip's section). */
  focus?: string | undefined
  onClear: () => void
  onClose: () => void
  children: ComponentChildren
}) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    if (props.focus) {
      const section = dialog?.querySelector<HTMLElement>(`[data-facet="${props.focus}"]`)
      section?.scrollIntoView({ block: 'start' })
      section?.querySelector<HTMLElement>('input, select, button')?.focus()
    }
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      class="sheet"
      aria-labelledby="sheet-title"
      onCancel={(e) => {
        e.preventDefault()
        props.onClose()
      }}
    >
      <div class="sheet-head">
        <h2 id="sheet-title" class="sheet-title">
          {t('search.filters')}
          {props.active > 0 && <span class="badge">{props.active}</span>}
        </h2>
        <button type="button" class="btn btn-quiet" onClick={props.onClose}>
          {t('search.sheetClose')}
        </button>
      </div>
      <div class="sheet-body filters">{props.children}</div>
      <div class="sheet-foot">
        <button type="button" class="btn btn-quiet" disabled={props.active === 0} onClick={props.onClear}>
          {t('search.clearAll')}
        </button>
        <button type="button" class="btn btn-primary" aria-busy={props.loading} onClick={props.onClose}>
          {props.total === undefined ? t('search.showResults') : t('search.showN', { n: props.total })}
        </button>
      </div>
    </dialog>
  )
}
