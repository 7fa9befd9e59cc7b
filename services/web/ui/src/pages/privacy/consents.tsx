import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { api, problemOf, problemText } from '../../lib/api.ts'
import { type MessageKey, useT } from '../../lib/i18n.ts'
import { CONSENT_PURPOSES, type PrivacyStatus } from './privacy-status.ts'

/**
 * The optional consents as switches that apply at once: each change is recorded server side (the proof a
 * consent was given or withdrawn), so there is no separate save step to forget.
 */
export function ConsentSettings({ status, onChange }: { status: PrivacyStatus; onChange: (s: PrivacyStatus) => void }) {
  const t = useT()
  const [saved, setSaved] = useState(false)
  const [problem, setProblem] = useState<unknown>()
  // The switch moves at once; it moves back if the change is refused.
  const [values, setValues] = useState(status.consents)
  const toggle = async (purpose: (typeof CONSENT_PURPOSES)[number], value: boolean) => {
    const before = values
    setValues({ ...values, [purpose]: value })
    setSaved(false)
    setProblem(undefined)
    const res = await api.PATCH('/v1/me/privacy/consents', { body: { [purpose]: value } })
    if (res.data) {
      setValues(res.data.consents)
      onChange(res.data)
      setSaved(true)
    } else {
      setValues(before)
      setProblem(problemOf(res))
    }
  }
  return (
    <section class="section card" aria-labelledby="consents-title">
      <h2 id="consents-title">{t('privacy.consentsTitle')}</h2>
      <ConsentChecks idPrefix="settings" values={values} onToggle={(purpose, value) => void toggle(purpose, value)} />
      <p class="note" role="status">
        {saved ? t('privacy.consentSaved') : ''}
      </p>
      {problem !== undefined && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </section>
  )
}

/** The two optional consents as labelled checkboxes with their explanations (sign-up and settings). */
export function ConsentChecks({
  idPrefix,
  values,
  disabled,
  onToggle,
}: {
  idPrefix: string
  values: PrivacyStatus['consents']
  disabled?: boolean
  onToggle: (purpose: (typeof CONSENT_PURPOSES)[number], value: boolean) => void
}) {
  const t = useT()
  return (
    <div class="consent-list">
      {CONSENT_PURPOSES.map((purpose) => {
        const id = `${idPrefix}-${purpose}`
        return (
          <div class="consent" key={purpose}>
            <label class="choice" for={id}>
              <input
                id={id}
                type="checkbox"
                checked={values[purpose]}
                disabled={disabled}
                aria-describedby={`${id}-hint`}
                onChange={(e) => onToggle(purpose, (e.target as HTMLInputElement).checked)}
              />
              {t(`privacy.consent.${purpose}` as MessageKey)}
            </label>
            <p class="hint" id={`${id}-hint`}>
              {t(`privacy.consent.${purpose}.hint` as MessageKey)}
            </p>
          </div>
        )
      })}
    </div>
  )
}
