import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useT } from '../lib/i18n.ts'
import { ErrorNote } from './feedback.tsx'

let dialogs = 0

interface ConfirmDialogProps {
  title: string
  confirmLabel: string
  /** Styles the confirm button as destructive. */
  danger?: boolean
  busy?: boolean
  /** Keeps the confirm button disabled, e.g. until a required reason is written. */
  disabled?: boolean
  error?: string | undefined
  onConfirm: () => void
  onCancel: () => void
  children?: ComponentChildren
}

/**
 * Asks before an action that cannot be undone. A modal <dialog> rather than window.confirm: it speaks the
 * UI's language, holds a reason field or a refund preview, and the browser keeps focus inside it, makes the
 * page behind inert, backs out on Escape and returns focus to the button that opened it.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  const [titleId] = useState(() => `confirm-${++dialogs}`)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    // Closing (not just removing) the dialog is what hands focus back to the opener.
    return () => dialog?.close()
  }, [])
  const blocked = props.busy || props.disabled
  return (
    <dialog
      ref={ref}
      class="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: the owner decides (it unmounts the dialog), so state and screen stay in step.
        e.preventDefault()
        props.onCancel()
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (!blocked) props.onConfirm()
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        {props.error && <ErrorNote>{props.error}</ErrorNote>}
        <div class="actions">
          <button
            type="submit"
            class={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`}
            disabled={blocked}
            aria-busy={props.busy}
          >
            {props.confirmLabel}
          </button>
          <button type="button" class="btn btn-quiet" onClick={props.onCancel}>
            {t('common.back')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
