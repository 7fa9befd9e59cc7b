import { useT } from '../lib/i18n.ts'
import { Field } from './field.tsx'

/**
 * The six-digit code texted to a mobile number beside the button that asks for it (again), as every form
 * that proves a number is this person's lays it out.
 */
export function PhoneCodeRow({
  id,
  code,
  onCode,
  error,
  sent,
  onSend,
  waitSeconds = 0,
}: {
  id: string
  code: string
  onCode: (code: string) => void
  error?: string | undefined
  /** A code went out already: the button offers another. */
  sent: boolean
  onSend: () => void
  /** Seconds until the service takes another request; the button waits them out. */
  waitSeconds?: number
}) {
  const t = useT()
  return (
    <div class="code-row">
      <Field id={id} label={t('phone.code')} error={error}>
        {(a) => (
          <input
            {...a}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onInput={(e) => onCode((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <button type="button" class="btn" disabled={waitSeconds > 0} onClick={onSend}>
        {waitSeconds > 0 ? t('phone.resendIn', { n: waitSeconds }) : sent ? t('phone.resend') : t('phone.send')}
      </button>
    </div>
  )
}
