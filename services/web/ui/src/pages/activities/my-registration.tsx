import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import type { MyRegistration, Registration } from './types.ts'

/** Where a sign-up stands: a place (as attendee or volunteer), or its place in the waitlist. */
export function RegistrationStatus({ registration }: { registration: Registration }) {
  const t = useT()
  const role = tEnum('registrationRole', registration.role)
  if (registration.status === 'waitlisted')
    return (
      <p class="registration-status" data-status="waitlisted">
        {t('registration.waitlisted', { role, n: registration.waitlistPosition ?? '' })}
      </p>
    )
  return (
    <p class="registration-status" data-status={registration.status}>
      {registration.checkedInAt
        ? t('registration.checkedIn', { role })
        : registration.noShow
          ? t('registration.noShow', { role })
          : t('registration.confirmed', { role })}
    </p>
  )
}

/**
 * The check-in code as a QR code and as six digits (the host scans the one or types the other). The SVG is
 * the community service's rendering of the digits with `qrcode` (no text from people), so it is inserted as is.
 */
export function CheckInCode({ registration }: { registration: MyRegistration }) {
  const t = useT()
  return (
    <div class="check-in-code">
      <div
        class="qr"
        role="img"
        aria-label={t('registration.qrLabel', { code: registration.code })}
        dangerouslySetInnerHTML={{ __html: registration.qrSvg }}
      />
      <p>
        {t('registration.code')} <strong class="code">{registration.code}</strong>
      </p>
    </div>
  )
}

/** The person's own sign-up: its status, check-in code and, until the cut-off, withdrawing. */
export function MyRegistrationCard({
  registration,
  ended,
  onCancelled,
}: {
  registration: MyRegistration
  ended: boolean
  onCancelled: () => void
}) {
  const t = useT()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const cancel = async () => {
    setBusy(true)
    const res = await api.DELETE('/v1/activities/{id}/registrations/me', {
      params: { path: { id: registration.activityId } },
    })
    setBusy(false)
    if (problemOf(res)) return setProblem(problemOf(res))
    onCancelled()
  }
  return (
    <div class="card my-registration">
      <RegistrationStatus registration={registration} />
      {registration.status === 'confirmed' && !registration.checkedInAt && !ended && (
        <CheckInCode registration={registration} />
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {!ended &&
        !registration.checkedInAt &&
        (asking ? (
          <div class="actions">
            <button type="button" class="btn btn-danger" disabled={busy} onClick={cancel}>
              {t('registration.confirmCancel')}
            </button>
            <button type="button" class="btn btn-quiet" onClick={() => setAsking(false)}>
              {t('common.back')}
            </button>
          </div>
        ) : (
          <button type="button" class="btn btn-quiet" onClick={() => setAsking(true)}>
            {t('registration.cancel')}
          </button>
        ))}
    </div>
  )
}
