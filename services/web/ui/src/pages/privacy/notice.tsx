import type { Schema } from '@commons/client'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api } from '../../lib/api.ts'
import { lang, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { useStore } from '../../lib/store.ts'

export type Notice = Schema<'PrivacyNotice'>

/** The notice in force; the sign-up form and the prompt after sign-in need its version. */
export function useNotice() {
  return useLoad(async () => must(await api.GET('/v1/privacy/notice')), [])
}

/** A calendar day in Shanghai time, in the person's language. */
export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(lang.get(), { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(new Date(iso))
}

/** The notice's text in the person's language. */
export function noticeText(notice: Notice, current: string) {
  return current === 'en' ? notice.en : notice.zhCN
}

/** The privacy notice and terms (public; /privacy and /terms, linked from the footer and the sign-up form). */
export default function NoticePage() {
  const t = useT()
  const current = useStore(lang)
  const notice = useNotice()
  if (notice.loading && !notice.data) return <Loading />
  if (!notice.data) return <ErrorNote>{t('privacy.noticeFailed')}</ErrorNote>
  const text = noticeText(notice.data, current)
  return (
    <article class="narrow notice">
      <PageTitle title={text.title}>{text.title}</PageTitle>
      <p class="note">
        {t('privacy.version', {
          version: notice.data.version,
          date: formatDay(notice.data.publishedAt),
        })}
      </p>
      {text.sections.map((s) => (
        <section key={s.heading}>
          <h2>{s.heading}</h2>
          <p>{s.body}</p>
        </section>
      ))}
    </article>
  )
}
