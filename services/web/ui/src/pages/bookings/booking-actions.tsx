import { useState } from 'preact/hooks'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, problemOf, problemText } from '../../lib/api.ts'
import { type MessageKey, useT } from '../../lib/i18n.ts'
import { useReached } from '../../lib/time.ts'
import { allowedActions } from './allowed-actions.ts'
import { RefundNote } from './refund-note.tsx'
import type { Action, Booking, Role } from './types.ts'

const ACTION_LABEL: Record<Action, MessageKey> = {
  accept: 'bookings.accept',
  decline: 'bookings.decline',
  cancel: 'bookings.cancel',
  complete: 'bookings.complete',
  'no-show': 'bookings.noShow',
}

/** Actions that cannot be undone: each asks in a dialog first. Accepting is sent at once. */
type Asked = Exclude<Action, 'accept'>

const ASK_TITLE: Record<Asked, MessageKey> = {
  decline: 'bookings.ask.decline',
  cancel: 'bookings.ask.cancel',
  complete: 'bookings.ask.complete',
  'no-show': 'bookings.ask.noShow',
}

const ASK_TEXT: Partial<Record<Asked, MessageKey>> = {
  complete: 'bookings.ask.completeText',
  'no-show': 'bookings.ask.noShowText',
}

/** The buttons for what the viewer may do with a booking, and the dialog that confirms the final ones. */
export function BookingActions({
  booking,
  role,
  onDone,
}: {
  booking: Booking
  role: Role[]
  onDone: (next: Booking, action: Action) => void
}) {
  const t = useT()
  const [asking, setAsking] = useState<Asked | undefined>()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<{ action: Action; text: string } | undefined>()
  const [busy, setBusy] = useState(false)
  const started = useReached(booking.start)
  const actions = allowedActions(booking, role, started)
  const act = async (action: Action) => {
    setBusy(true)
    setProblem(undefined)
    const body = reason.trim() ? { reason: reason.trim() } : {}
    const params = { params: { path: { id: booking.id } }, body }
    const res =
      action === 'accept'
        ? await api.POST('/v1/bookings/{id}/accept', params)
        : action === 'decline'
          ? await api.POST('/v1/bookings/{id}/decline', params)
          : action === 'cancel'
            ? await api.POST('/v1/bookings/{id}/cancel', params)
            : action === 'complete'
              ? await api.POST('/v1/bookings/{id}/complete', params)
              : await api.POST('/v1/bookings/{id}/no-show', params)
    setBusy(false)
    if (res.data) {
      setAsking(undefined)
      setReason('')
      onDone(res.data, action)
    } else setProblem({ action, text: problemText(problemOf(res)) })
  }
  const close = () => {
    setAsking(undefined)
    setProblem(undefined)
  }
  const needsReason = asking === 'decline'
  const askText = asking && ASK_TEXT[asking]
  const waitsForStart =
    (role.includes('provider') || role.includes('moderator')) && booking.status === 'confirmed' && !started
  return (
    <>
      {waitsForStart && <p class="note">{t('bookings.completeLater')}</p>}
      {actions.length > 0 && (
        <div class="actions">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              class={`btn ${a === 'accept' || a === 'complete' ? 'btn-primary' : a === 'cancel' ? 'btn-quiet' : 'btn-danger'}`}
              disabled={busy}
              onClick={() => (a === 'accept' ? void act(a) : setAsking(a))}
            >
              {t(ACTION_LABEL[a])}
            </button>
          ))}
        </div>
      )}
      {!asking && problem && <ErrorNote>{problem.text}</ErrorNote>}
      {asking && (
        <ConfirmDialog
          title={t(ASK_TITLE[asking])}
          confirmLabel={t(`${ACTION_LABEL[asking]}Confirm` as MessageKey)}
          danger={asking !== 'complete'}
          busy={busy}
          disabled={needsReason && !reason.trim()}
          error={problem?.action === asking ? problem.text : undefined}
          onConfirm={() => void act(asking)}
          onCancel={close}
        >
          {askText && <p>{t(askText)}</p>}
          {asking === 'cancel' && <RefundNote booking={booking} />}
          <Field
            id={`r-${booking.id}`}
            label={needsReason ? t('bookings.reasonRequired') : t('bookings.reasonOptional')}
          >
            {(a) => (
              <textarea
                {...a}
                maxLength={500}
                required={needsReason}
                value={reason}
                onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
        </ConfirmDialog>
      )}
    </>
  )
}
