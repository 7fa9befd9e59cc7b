import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { api, auth, problemOf, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { Link, useLocation } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

/**
 * Asks a signed-in person to accept a newer notice version (`mustAcceptNotice` of /v1/me). Shown above every
 * page until accepted; the notice page itself stays readable under it.
 */
export function NoticePrompt() {
  const t = useT()
  const me = useStore(auth)
  const { path } = useLocation()
  const [problem, setProblem] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  if (me.status !== 'signed-in' || !me.mustAcceptNotice) return null
  const accept = async () => {
    setBusy(true)
    setProblem(undefined)
    const notice = await api.GET('/v1/privacy/notice')
    const res = notice.data
      ? await api.POST('/v1/me/privacy/notice-acceptance', { body: { version: notice.data.version } })
      : notice
    setBusy(false)
    if (res.data) auth.set({ ...auth.get(), mustAcceptNotice: false })
    else setProblem(problemOf(res))
  }
  return (
    <section class="card notice-prompt" aria-labelledby="notice-prompt-title">
      <h2 id="notice-prompt-title">{t('privacy.promptTitle')}</h2>
      <p>{t('privacy.promptText')}</p>
      <div class="actions">
        {path !== '/privacy' && <Link href="/privacy">{t('privacy.readNotice')}</Link>}
        <button type="button" class="btn btn-primary" disabled={busy} aria-busy={busy} onClick={accept}>
          {t('privacy.promptAccept')}
        </button>
      </div>
      {problem !== undefined && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </section>
  )
}
