import { LoginBody, PhoneLoginBody, RegisterBody } from '@commons/contracts'
import { useEffect, useState } from 'preact/hooks'
import type { z } from 'zod'
import { ErrorNote } from '../components/feedback.tsx'
import { Field } from '../components/field.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { PhoneCodeRow } from '../components/phone-code-row.tsx'
import { api, fieldErrorsOf, type Problem, problemOf, problemText, signIn } from '../lib/api.ts'
import { type MessageKey, useT } from '../lib/i18n.ts'
import { returnTarget } from '../lib/return-to.ts'
import { Link, navigate, useLocation } from '../lib/router.tsx'
import { validate } from '../lib/validate.ts'
import { CheckEmail } from './check-email.tsx'
import { useNotice } from './privacy/notice.tsx'
import { NO_CHOICES, SignUpConsent } from './privacy/sign-up-consent.tsx'

const CODE_MESSAGES: Record<string, MessageKey> = {
  invalid_credentials: 'auth.invalidCredentials',
  email_taken: 'auth.emailTaken',
  rate_limited: 'auth.rateLimited',
  invalid_code: 'phone.invalidCode',
  phone_not_registered: 'phone.notRegistered',
  sms_unavailable: 'phone.unavailable',
}

/** Counts down the seconds until another code may be asked for. */
function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0)
  useEffect(() => {
    if (left <= 0) return
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000)
    return () => clearTimeout(timer)
  }, [left])
  return [left, setLeft]
}

/** Sign in with a mobile number and a texted code, as most Chinese services offer first. */
function PhoneSignIn({ onSession }: { onSession: (session: Parameters<typeof signIn>[0]) => Promise<void> }) {
  const t = useT()
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [sent, setSent] = useState(false)
  const [busy, setBusy] = useState(false)
  const [wait, setWait] = useCountdown()

  const send = async () => {
    setProblem(undefined)
    const checked = validate(PhoneLoginBody.pick({ phone: true }), { phone })
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    const res = await api.POST('/v1/auth/phone/code', { body: { phone } })
    if (res.data) {
      setSent(true)
      setWait(res.data.resendAfterSeconds)
      document.getElementById('p-code')?.focus()
      return
    }
    const p = problemOf(res)
    setProblem(p)
    setErrors(fieldErrorsOf(p))
    const retry = Number(res.response.headers.get('retry-after'))
    if (res.response.status === 429 && retry > 0) setWait(retry)
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    setProblem(undefined)
    const checked = validate(PhoneLoginBody, { phone, code })
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/auth/phone/login', { body: checked.data as z.output<typeof PhoneLoginBody> })
    setBusy(false)
    if (res.data) return onSession(res.data)
    const p = problemOf(res)
    setProblem(p)
    setErrors(fieldErrorsOf(p))
  }
  const codeKey = problem ? CODE_MESSAGES[problem.code] : undefined
  return (
    <form class="card form" onSubmit={submit} noValidate>
      <Field id="p-phone" label={t('phone.number')} error={errors.phone}>
        {(a) => (
          <input
            {...a}
            type="tel"
            inputMode="numeric"
            autoComplete="tel-national"
            placeholder="138 0000 0000"
            value={phone}
            onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <PhoneCodeRow
        id="p-code"
        code={code}
        onCode={setCode}
        error={errors.code}
        sent={sent}
        onSend={send}
        waitSeconds={wait}
      />
      {sent && (
        <p class="note" role="status">
          {t('phone.sent')}
        </p>
      )}
      {problem && !problem.errors && <ErrorNote>{codeKey ? t(codeKey) : problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : t('auth.signIn')}
      </button>
    </form>
  )
}

export default function AuthPage({ path }: { path: string }) {
  const t = useT()
  const { search } = useLocation()
  const signingUp = path === '/signup'
  const [method, setMethod] = useState<'phone' | 'email'>('phone')
  const [values, setValues] = useState({ email: '', password: '', displayName: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const [choices, setChoices] = useState(NO_CHOICES)
  // Set once the service mailed a link (sign-up, or signing in unverified): the page then says so.
  const [mailedTo, setMailedTo] = useState<string | undefined>()
  const notice = useNotice()
  const set = (name: keyof typeof values) => (e: Event) =>
    setValues((v) => ({ ...v, [name]: (e.target as HTMLInputElement).value }))
  // Back where the member was (a listing with the slot they chose), or the usual start page.
  const done = async (session: Parameters<typeof signIn>[0]) => {
    await signIn(session)
    navigate(returnTarget(search, signingUp ? '/orgs' : '/'), { replace: true })
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setProblem(undefined)
    const privacy =
      signingUp && choices.accepted && notice.data
        ? { noticeVersion: notice.data.version, ...choices.consents }
        : undefined
    const body = signingUp
      ? { ...values, ...(privacy ? { privacy } : {}) }
      : { email: values.email, password: values.password }
    const checked = validate(signingUp ? RegisterBody : LoginBody, body)
    if (signingUp && !choices.accepted) {
      setErrors({ ...checked.errors, accept: t('privacy.acceptRequired') })
      document.getElementById(`a-${Object.keys(checked.errors ?? { accept: 1 })[0]}`)?.focus()
      return
    }
    if (checked.errors) {
      setErrors(checked.errors)
      document.getElementById(`a-${Object.keys(checked.errors)[0]}`)?.focus()
      return
    }
    setErrors({})
    setBusy(true)
    if (signingUp) {
      const data = checked.data as z.output<typeof RegisterBody>
      const res = await api.POST('/v1/auth/register', { body: data })
      setBusy(false)
      if (res.data) return setMailedTo(data.email)
      const p = problemOf(res)
      setProblem(p)
      setErrors(fieldErrorsOf(p))
      return
    }
    const data = checked.data as z.output<typeof LoginBody>
    const res = await api.POST('/v1/auth/login', { body: data })
    setBusy(false)
    if (res.data) return done(res.data)
    const p = problemOf(res)
    if (p?.code === 'email_unverified') return setMailedTo(data.email)
    setProblem(p)
    setErrors(fieldErrorsOf(p))
  }

  if (mailedTo) return <CheckEmail email={mailedTo} />
  const title = signingUp ? t('auth.signUpTitle') : t('auth.signInTitle')
  const codeKey = problem ? CODE_MESSAGES[problem.code] : undefined
  const keep = search ? `${search}` : ''
  return (
    <section class="narrow">
      <PageTitle title={title}>{title}</PageTitle>
      {!signingUp && (
        <nav class="tabs" aria-label={t('phone.methods')}>
          {(['phone', 'email'] as const).map((m) => (
            <button
              key={m}
              type="button"
              class="tab"
              aria-pressed={method === m}
              aria-current={method === m ? 'page' : undefined}
              onClick={() => setMethod(m)}
            >
              {m === 'phone' ? t('phone.tab') : t('phone.emailTab')}
            </button>
          ))}
        </nav>
      )}
      {!signingUp && method === 'phone' ? (
        <PhoneSignIn onSession={done} />
      ) : (
        <form class="card form" onSubmit={submit} noValidate>
          {signingUp && (
            <Field id="a-displayName" label={t('auth.displayName')} error={errors.displayName}>
              {(a) => <input {...a} autoComplete="name" value={values.displayName} onInput={set('displayName')} />}
            </Field>
          )}
          <Field id="a-email" label={t('auth.email')} error={errors.email}>
            {(a) => <input {...a} type="email" autoComplete="email" value={values.email} onInput={set('email')} />}
          </Field>
          <Field
            id="a-password"
            label={t('auth.password')}
            hint={signingUp ? t('auth.passwordHint') : undefined}
            error={errors.password}
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete={signingUp ? 'new-password' : 'current-password'}
                value={values.password}
                onInput={set('password')}
              />
            )}
          </Field>
          {signingUp && <SignUpConsent choices={choices} error={errors.accept} onChange={setChoices} />}
          {problem && !problem.errors && <ErrorNote>{codeKey ? t(codeKey) : problemText(problem)}</ErrorNote>}
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
            {busy ? t('common.sending') : signingUp ? t('auth.signUp') : t('auth.signIn')}
          </button>
        </form>
      )}
      <p class="alt">
        {signingUp ? (
          <Link href={`/signin${keep}`}>{t('auth.haveAccount')}</Link>
        ) : (
          <Link href={`/signup${keep}`}>{t('auth.noAccount')}</Link>
        )}
      </p>
    </section>
  )
}
