import { useState } from 'preact/hooks'
import { problemOf, problemText } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { Field } from './field.tsx'

/**
 * One short text sent to the API (a public reply, a report's reason): says what is missing before sending,
 * shows the API's refusal under the field, and waits for the answer before another send.
 */
export function TextActionForm({
  id,
  label,
  submitLabel,
  emptyMessage,
  maxLength,
  danger = false,
  send,
  onCancel,
}: {
  id: string
  label: string
  submitLabel: string
  emptyMessage: string
  maxLength: number
  danger?: boolean
  /** Sends the trimmed text; the form shows the problem when the answer is one. */
  send: (text: string) => Promise<{ error?: unknown }>
  onCancel?: () => void
}) {
  const t = useT()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!text.trim()) return setError(emptyMessage)
    setBusy(true)
    const res = await send(text.trim())
    setBusy(false)
    const problem = problemOf(res)
    setError(problem ? problemText(problem) : undefined)
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id={id} label={label} error={error}>
        {(a) => (
          <textarea
            {...a}
            maxLength={maxLength}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      <button type="submit" class={`btn${danger ? ' btn-danger' : ''}`} disabled={busy}>
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

/** The rated side's one public reply to a rating or an evaluation. */
export function ReplyForm({
  id,
  maxLength,
  send,
}: {
  id: string
  maxLength: number
  send: (text: string) => Promise<{ error?: unknown }>
}) {
  const t = useT()
  return (
    <TextActionForm
      id={id}
      label={t('ratings.replyLabel')}
      submitLabel={t('ratings.replySend')}
      emptyMessage={t('ratings.replyEmpty')}
      maxLength={maxLength}
      send={send}
    />
  )
}

/** A report behind a button: the reason form once opened, a note once sent; moderators see it in their queue. */
export function ReportAction({ id, send }: { id: string; send: (reason: string) => Promise<{ error?: unknown }> }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [sent, setSent] = useState(false)
  if (sent)
    return (
      <p class="note" role="status">
        {t('ratings.reported')}
      </p>
    )
  if (!open)
    return (
      <button type="button" class="btn btn-quiet" onClick={() => setOpen(true)}>
        {t('ratings.report')}
      </button>
    )
  return (
    <TextActionForm
      id={id}
      label={t('ratings.reportReason')}
      submitLabel={t('ratings.reportSend')}
      emptyMessage={t('ratings.reportEmpty')}
      maxLength={500}
      danger
      onCancel={() => setOpen(false)}
      send={async (reason) => {
        const res = await send(reason)
        if (!res.error) setSent(true)
        return res
      }}
    />
  )
}
