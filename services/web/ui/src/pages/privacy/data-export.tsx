import type { Schema } from '@commons/client'
import { useEffect, useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { api, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, readStorage, useT, writeStorage } from '../../lib/i18n.ts'

type DataExport = Schema<'DataExport'>

/** The last export asked for in this browser, so coming back to the page shows its progress or link. */
const LAST_EXPORT_KEY = 'commons.lastExport'
const POLL_MS = 2000

/** 导出我的数据: request an export, follow it while the job assembles it, then the signed link and its expiry. */
export function DataExportSection() {
  const t = useT()
  const [exported, setExported] = useState<DataExport | undefined>()
  const [problem, setProblem] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const id = readStorage(LAST_EXPORT_KEY)
    if (!id) return
    api.GET('/v1/me/exports/{id}', { params: { path: { id } } }).then((res) => {
      if (res.data) setExported(res.data)
      else writeStorage(LAST_EXPORT_KEY, null)
    })
  }, [])

  // The job takes seconds to minutes: ask again until it is ready or failed.
  useEffect(() => {
    if (exported?.status !== 'pending') return
    const timer = setTimeout(async () => {
      const res = await api.GET('/v1/me/exports/{id}', { params: { path: { id: exported.id } } })
      if (res.data) setExported(res.data)
      else setProblem(problemOf(res))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [exported])

  const request = async () => {
    setBusy(true)
    setProblem(undefined)
    const res = await api.POST('/v1/me/exports', { body: {} })
    setBusy(false)
    if (res.data) {
      writeStorage(LAST_EXPORT_KEY, res.data.id)
      setExported(res.data)
    } else setProblem(problemOf(res))
  }

  const expired = exported?.status === 'ready' && !exported.downloadUrl
  return (
    <section class="section card" aria-labelledby="export-title">
      <h2 id="export-title">{t('privacy.exportTitle')}</h2>
      <p>{t('privacy.exportLead')}</p>
      <div role="status" aria-live="polite">
        {exported?.status === 'pending' && (
          <p class="loading">
            <span class="spinner" aria-hidden="true" />
            {t('privacy.exportPending')}
          </p>
        )}
        {exported?.status === 'ready' && exported.downloadUrl && exported.expiresAt && (
          <>
            <p>{t('privacy.exportReady', { date: formatDateTime(exported.expiresAt) })}</p>
            <p>
              <a class="btn btn-primary" href={exported.downloadUrl} download>
                {t('privacy.exportDownload')}
              </a>
            </p>
          </>
        )}
        {expired && <p class="note">{t('privacy.exportExpired')}</p>}
      </div>
      {exported?.status === 'failed' && <ErrorNote>{t('privacy.exportFailed')}</ErrorNote>}
      {problem !== undefined && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {exported?.status !== 'pending' && (
        <button type="button" class="btn" disabled={busy} aria-busy={busy} onClick={request}>
          {busy ? t('common.sending') : t('privacy.exportRequest')}
        </button>
      )}
    </section>
  )
}
