import { useT } from '../../lib/i18n.ts'
import { ConsentChecks } from './consents.tsx'
import type { PrivacyStatus } from './privacy-status.ts'

export interface SignUpChoices {
  accepted: boolean
  consents: PrivacyStatus['consents']
}

export const NO_CHOICES: SignUpChoices = {
  accepted: false,
  consents: { personalisedRecommendations: false, emailNotifications: false },
}

/**
 * The sign-up form's privacy part: the notice must be accepted (unticked at first, as PIPL expects an
 * active choice), and the optional consents stay off unless the person turns them on.
 */
export function SignUpConsent({
  choices,
  error,
  onChange,
}: {
  choices: SignUpChoices
  error?: string | undefined
  onChange: (next: SignUpChoices) => void
}) {
  const t = useT()
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label class="choice" for="a-accept">
        <input
          id="a-accept"
          type="checkbox"
          checked={choices.accepted}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'a-accept-error' : undefined}
          onChange={(e) => onChange({ ...choices, accepted: (e.target as HTMLInputElement).checked })}
        />
        {t('privacy.acceptLabel')}
      </label>
      <p class="hint">
        {/* A new tab, so what was typed into the form stays. */}
        <a href="/privacy" target="_blank" rel="noopener">
          {t('privacy.readNotice')}
        </a>
      </p>
      {error && (
        <p class="field-error" id="a-accept-error">
          {error}
        </p>
      )}
      <fieldset>
        <legend>{t('privacy.optionalTitle')}</legend>
        <ConsentChecks
          idPrefix="signup"
          values={choices.consents}
          onToggle={(purpose, value) => onChange({ ...choices, consents: { ...choices.consents, [purpose]: value } })}
        />
      </fieldset>
    </div>
  )
}
