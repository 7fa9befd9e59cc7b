import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, usePages } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

/** Hides and restores of ratings (kept by the bookings service, where ratings live), newest first. */
export function RatingAudit() {
  const t = useT()
  const audit = usePages(
    async (cursor) =>
      must(await api.GET('/v1/ratings/audit', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [],
  )
  if (audit.loading && !audit.loaded) return <Loading />
  if (audit.error !== undefined && !audit.loaded) return <ErrorNote>{problemText(audit.error)}</ErrorNote>
  return (
    <section aria-labelledby="rating-audit">
      <h2 id="rating-audit">{t('moderation.ratingAudit')}</h2>
      {audit.items.length === 0 ? (
        <Empty title={t('moderation.noRatingAudit')} />
      ) : (
        <ul class="history-list">
          {audit.items.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time> <strong>{tEnum('ratingAudit', e.action)}</strong>{' '}
              <span class="note">{t('moderation.ratingRef', { id: e.ratingId.slice(0, 8) })}</span>
              {e.reason && <q class="history-reason">{e.reason}</q>}
            </li>
          ))}
        </ul>
      )}
      <MoreButton pages={audit} />
    </section>
  )
}

export function Audit() {
  const t = useT()
  const audit = usePages(
    async (cursor) =>
      must(await api.GET('/v1/moderation/audit', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [],
  )
  if (audit.loading && !audit.loaded) return <Loading />
  if (audit.error !== undefined && !audit.loaded) return <ErrorNote>{problemText(audit.error)}</ErrorNote>
  const items = audit.items
  if (items.length === 0) return <Empty title={t('moderation.noAudit')} />
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones */}
      <section class="table-scroll" tabIndex={0} aria-label={t('moderation.tabAudit')}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('moderation.when')}</th>
              <th scope="col">{t('moderation.actor')}</th>
              <th scope="col">{t('moderation.action')}</th>
              <th scope="col">{t('moderation.object')}</th>
              <th scope="col">{t('moderation.auditReason')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td class="nowrap">{formatDateTime(e.createdAt)}</td>
                <td>{e.actorName ?? t('moderation.operator')}</td>
                <td>{tEnum('audit', e.action)}</td>
                <td>
                  {/* The object by its name, linked to its page; its kind beside it for the unnamed. */}
                  {e.objectType === 'listing' ? (
                    <Link href={`/listings/${e.objectId}`}>{e.objectName ?? tEnum('auditObject', e.objectType)}</Link>
                  ) : e.objectType === 'organization' ? (
                    <Link href={`/profiles/${e.objectId}`}>{e.objectName ?? tEnum('auditObject', e.objectType)}</Link>
                  ) : (
                    (e.objectName ?? tEnum('auditObject', e.objectType))
                  )}{' '}
                  <span class="note">{tEnum('auditObject', e.objectType)}</span>
                </td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <MoreButton pages={audit} />
    </>
  )
}
