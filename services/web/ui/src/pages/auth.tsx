import { LoginBody, RegisterBody } from '@commons/contracts'
import { useState } from 'preact/hooks'
import type { z } from 'zod'
import { ErrorNote } from '../components/feedback.tsx'
import { Field } from '../components/field.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { api, fieldErrorsOf, type Problem, problemOf, problemText, signIn } from '../lib/api.ts'
import { type MessageKey, useT } from '../lib/i18n.ts'
import { Link, navigate } from '../lib/router.tsx'
import { validate } from '../lib/validate.ts'

const CODE_MESSAGES: Record<string, MessageKey> = {
  invalid_credentials: 'auth.invalidCredentials',
  email_taken: 'auth.emailTaken',
  rate_limited: 'auth.rateLimited',
}

export default function AuthPage({ path }: { path: string }) {
  const t = useT()
  const signingUp = path === '/signup'
  const [values, setValues] = useState({ email: '', password: '', displayName: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const set = (name: keyof typeof values) => (e: Event) =>
    setValues((v) => ({ ...v, [name]: (e.target as HTMLInputElement).value }))

  const submit = async (event: Event) => {
    event.preventDefault()
    setProblem(undefined)
    const body = signingUp ? values : { email: values.email, password: values.password }
    const checked = validate(signingUp ? RegisterBody : LoginBody, body)
    if (checked.errors) {
      setErrors(checked.errors)
      document.getElementById(`a-${Object.keys(checked.errors)[0]}`)?.focus()
      return
    }
    setErrors({})
    setBusy(true)
    const res = signingUp
      ? await api.POST('/v1/auth/register', { body: checked.data as z.output<typeof RegisterBody> })
      : await api.POST('/v1/auth/login', { body: checked.data as z.output<typeof LoginBody> })
    setBusy(false)
    if (res.data) {
      await signIn(res.data)
      navigate(signingUp ? '/orgs' : '/')
      return
    }
    const p = problemOf(res)
    setProblem(p)
    setErrors(fieldErrorsOf(p))
  }

  const title = signingUp ? t('auth.signUpTitle') : t('auth.signInTitle')
  const codeKey = problem ? CODE_MESSAGES[problem.code] : undefined
  return (
    <section class="narrow">
      <PageTitle title={title}>{title}</PageTitle>
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
        {problem && !problem.errors && <ErrorNote>{codeKey ? t(codeKey) : problemText(problem)}</ErrorNote>}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          {busy ? t('common.sending') : signingUp ? t('auth.signUp') : t('auth.signIn')}
        </button>
        <p class="alt">
          {signingUp ? (
            <Link href="/signin">{t('auth.haveAccount')}</Link>
          ) : (
            <Link href="/signup">{t('auth.noAccount')}</Link>
          )}
        </p>
      </form>
    </section>
  )
}
