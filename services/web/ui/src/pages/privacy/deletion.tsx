import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { PhoneCodeRow } from '../../components/phone-code-row.tsx'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import type { PrivacyStatus } from './privacy-status.ts'

type Method = 'password' | 'code'

/**
 * 注销账号: asks again who this is (password, or a code texted to the account's number), then shows the
 * date the account closes and a way to cancel until then.
 */
export function DeletionSection({ status, onChange }: { status: PrivacyStatus; onChange: (s: PrivacyStatus) => void }) {
  const t = useT()
  const me = useStore(auth)
  const phone = me.user?.phone ?? null
  const [method, setMethod] = useState<Method>('password')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [codeSent, setCodeSent] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [cancelled, setCancelled] = useState(false)
  const [busy, setBusy] = useState(false)
  const errors = fieldErrorsOf(problem)

  const sendCode = async () => {
    if (!phone) return
    setProblem(undefined)
    const res = await api.POST('/v1/auth/phone/code', { body: { phone } })
    if (res.data) setCodeSent(true)
    else setProblem(problemOf(res))
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setProblem(undefined)
    setCancelled(false)
    const body = method === 'password' ? { password } : { code }
    const res = await api.POST('/v1/me/deletion', { body })
    setBusy(false)
    if (res.data) {
      setPassword('')
      setCode('')
      onChange(res.data)
    } else setProblem(problemOf(res))
  }
  const cancel = async () => {
    setBusy(true)
    setProblem(undefined)
    const res = await api.DELETE('/v1/me/deletion', {})
    setBusy(false)
    if (res.data) {
      setCancelled(true)
      onChange(res.data)
    } else setProblem(problemOf(res))
  }
  // The organizations this person owns: one of them has no other owner (the problem names it only in English).
  const owned = me.memberships.filter((m) => m.role === 'owner')

  return (
    <section class="section card" aria-labelledby="deletion-title">
      <h2 id="deletion-title">{t('privacy.deletionTitle')}</h2>
      <p>{t('privacy.deletionLead')}</p>
      <div role="status" aria-live="polite">
        {status.deletion && (
          <p class="notice-pending">
            {t('privacy.deletionPending', { date: formatDateTime(status.deletion.closesAt) })}
          </p>
        )}
        {cancelled && !status.deletion && <p class="note">{t('privacy.deletionCancelled')}</p>}
      </div>
      {status.deletion ? (
        <button type="button" class="btn btn-primary" disabled={busy} aria-busy={busy} onClick={cancel}>
          {t('privacy.deletionCancel')}
        </button>
      ) : (
        <form class="form" onSubmit={submit} noValidate>
          <fieldset>
            <legend>{t('privacy.deletionMethods')}</legend>
            <div class="choice-row">
              {(['password', 'code'] as const).map((m) => (
                <label class="choice" key={m}>
                  <input type="radio" name="deletion-method" checked={method === m} onChange={() => setMethod(m)} />
                  {m === 'password' ? t('privacy.deletionByPassword') : t('privacy.deletionByCode')}
                </label>
              ))}
            </div>
          </fieldset>
          {method === 'password' ? (
            <Field id="d-password" label={t('privacy.deletionPassword')} error={errors.password}>
              {(a) => (
                <input
                  {...a}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
                />
              )}
            </Field>
          ) : phone ? (
            <PhoneCodeRow
              id="d-code"
              code={code}
              onCode={setCode}
              error={errors.code}
              sent={codeSent}
              onSend={sendCode}
            />
          ) : (
            <p class="note">{t('privacy.noPhone')}</p>
          )}
          {problem && !problem.errors && (
            <ErrorNote>
              {problemText(problem)}
              {problem.code === 'sole_owner' && (
                <span class="sole-owner-links">
                  {owned.map((m) => (
                    <Link key={m.organizationId} href={`/orgs/${m.organizationId}#members-title`}>
                      {t('privacy.soleOwnerLink', { name: m.organizationName })}
                    </Link>
                  ))}
                </span>
              )}
            </ErrorNote>
          )}
          <button
            type="submit"
            class="btn btn-danger"
            disabled={busy || (method === 'code' && !phone)}
            aria-busy={busy}
          >
            {busy ? t('common.sending') : t('privacy.deletionSubmit')}
          </button>
        </form>
      )}
    </section>
  )
}
