import { useState } from 'preact/hooks'
import { type Problem, problemOf, problemText } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { ErrorNote } from './feedback.tsx'
import { Field } from './field.tsx'

/**
 * A moderator's decision that needs a reason (kept in the audit log): the text, a send button that waits for
 * one, the API's answer if it refuses, and an optional way back.
 */
export function ReasonForm({
  id,
  label,
  submitLabel,
  danger = false,
  minLength = 1,
  send,
  onCancel,
}: {
  id: string
  label: string
  submitLabel: string
  danger?: boolean
  minLength?: number
  send: (reason: string) => Promise<{ error?: unknown }>
  onCancel?: () => void
}) {
  const t = useT()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const ready = reason.trim().length >= minLength
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!ready) return
    setBusy(true)
    const res = await send(reason.trim())
    setBusy(false)
    setProblem(problemOf(res))
  }
  return (
    <form class="inline-form" onSubmit={submit}>
      <Field id={id} label={label}>
        {(a) => (
          <textarea
            {...a}
            required
            minLength={minLength}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class={`btn${danger ? ' btn-danger' : ''}`} disabled={busy || !ready}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" class="btn btn-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </form>
  )
}
