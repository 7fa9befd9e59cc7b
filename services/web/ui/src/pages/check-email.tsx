import { useEffect, useState } from 'preact/hooks'
import { PageTitle } from '../components/page-title.tsx'
import { api } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { Link } from '../lib/router.tsx'

/** Seconds between resends the page offers; the service spaces mails to one account by a minute too. */
const RESEND_SECONDS = 60

/**
 * After signing up, or signing in before the email is verified: the link is in the mail. The same screen
 * whether or not the email had an account, since the service answers both the same.
 */
export function CheckEmail({ email }: { email: string }) {
  const t = useT()
  const [wait, setWait] = useState(RESEND_SECONDS)
  const [resent, setResent] = useState(false)
  useEffect(() => {
    if (wait <= 0) return
    const timer = setTimeout(() => setWait((n) => n - 1), 1000)
    return () => clearTimeout(timer)
  }, [wait])
  const resend = async () => {
    setWait(RESEND_SECONDS)
    const res = await api.POST('/v1/auth/verify-email/resend', { body: { email } })
    setResent(res.response.ok)
  }
  return (
    <section class="narrow">
      <PageTitle title={t('verify.checkTitle')}>{t('verify.checkTitle')}</PageTitle>
      <div class="card form">
        <p>{t('verify.checkBody', { email })}</p>
        <p class="note">{t('verify.checkHint')}</p>
        {resent && (
          <p class="note" role="status">
            {t('verify.resent')}
          </p>
        )}
        <button type="button" class="btn btn-block" disabled={wait > 0} onClick={resend}>
          {wait > 0 ? t('verify.resendIn', { n: wait }) : t('verify.resend')}
        </button>
      </div>
      <p class="alt">
        <Link href="/signin">{t('verify.backToSignIn')}</Link>
      </p>
    </section>
  )
}
