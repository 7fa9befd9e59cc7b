import { useEffect, useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { ConsentSettings } from './consents.tsx'
import { DataExportSection } from './data-export.tsx'
import { DeletionSection } from './deletion.tsx'
import { formatDay } from './notice.tsx'
import { loadPrivacyStatus, type PrivacyStatus } from './privacy-status.ts'

function Settings() {
  const t = useT()
  const loaded = useLoad(loadPrivacyStatus, [])
  const [status, setStatus] = useState<PrivacyStatus | undefined>()
  useEffect(() => {
    if (loaded.data) setStatus(loaded.data)
  }, [loaded.data])
  const title = t('privacy.settingsTitle')
  return (
    <section class="narrow">
      <PageTitle title={title}>{title}</PageTitle>
      {!status && loaded.loading && <Loading />}
      {!status && loaded.error !== undefined && <ErrorNote>{problemText(loaded.error)}</ErrorNote>}
      {status && (
        <>
          <p class="note">
            {status.acceptedNoticeVersion && status.acceptedAt
              ? `${t('privacy.acceptedVersion', { version: status.acceptedNoticeVersion, date: formatDay(status.acceptedAt) })} `
              : ''}
            <Link href="/privacy">{t('privacy.readNotice')}</Link>
          </p>
          <ConsentSettings status={status} onChange={setStatus} />
          <DataExportSection />
          <DeletionSection status={status} onChange={setStatus} />
        </>
      )}
    </section>
  )
}

/** 隐私与账号: optional consents, 导出我的数据 and 注销账号, one section under another (phone first). */
export default function PrivacySettingsPage() {
  return (
    <RequireAuth>
      <Settings />
    </RequireAuth>
  )
}
