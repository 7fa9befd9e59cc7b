import { useEffect, useRef, useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../components/feedback.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { api, signIn } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { Link, navigate, useQuery } from '../lib/router.tsx'

/** The page a verification mail links to: spends the token, signs in and goes on to the organizations. */
export default function VerifyEmailPage() {
  const t = useT()
  const token = useQuery().get('token') ?? ''
  const [failed, setFailed] = useState(false)
  // A link works once: a second render must not spend it again.
  const started = useRef(false)
  useEffect(() => {
    if (started.current) return
    started.current = true
    void (async () => {
      const res = token ? await api.POST('/v1/auth/verify-email', { body: { token } }) : undefined
      if (!res?.data) return setFailed(true)
      await signIn(res.data)
      navigate('/orgs', { replace: true })
    })()
  }, [token])
  return (
    <section class="narrow">
      <PageTitle title={t('verify.title')}>{t('verify.title')}</PageTitle>
      {failed ? (
        <div class="card form">
          <ErrorNote>{t('verify.failed')}</ErrorNote>
          <p class="alt">
            <Link href="/signin">{t('verify.backToSignIn')}</Link>
          </p>
        </div>
      ) : (
        <Loading label={t('verify.working')} />
      )}
    </section>
  )
}
