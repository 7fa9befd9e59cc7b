import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { api, auth, type Problem, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { Stars } from '../lib/ratings.tsx'
import { RequireAuth } from '../lib/require-auth.tsx'
import { Link, useQuery } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Empty, ErrorNote, Field, Loading, MoreButton, must, PageTitle, useLoad, usePages } from '../lib/ui.tsx'
import { VerifyButton } from '../lib/verify.tsx'

type Listing = Schema<'Listing'>

/**
 * A moderator's decision that needs a reason (kept in the audit log): the text, a send button that waits for
 * one, the API's answer if it refuses, and an optional way back.
 */
function ReasonForm({
  id,
  label,
  submitLabel,
  danger = false,
  minLength = 1,
  send,
  onCancel,
}: {
  id: string
  label: string
  submitLabel: string
  danger?: boolean
  minLength?: number
  send: (reason: string) => Promise<{ error?: unknown }>
  onCancel?: () => void
}) {
  const t = useT()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const ready = reason.trim().length >= minLength
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!ready) return
    setBusy(true)
    const res = await send(reason.trim())
    setBusy(false)
    setProblem(problemOf(res))
  }
  return (
    <form class="inline-form" onSubmit={submit}>
      <Field id={id} label={label}>
        {(a) => (
          <textarea
            {...a}
            required
            minLength={minLength}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class={`btn${danger ? ' btn-danger' : ''}`} disabled={busy || !ready}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" class="btn btn-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </form>
  )
}

function ReviewItem({ listing, onDone }: { listing: Listing; onDone: () => void }) {
  const t = useT()
  const [rejecting, setRejecting] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const approve = async () => {
    setBusy(true)
    const res = await api.POST('/v1/moderation/listings/{id}/approve', {
      params: { path: { id: listing.id } },
      headers: { 'if-match': `"${listing.version}"` },
    })
    setBusy(false)
    if (problemOf(res)) setProblem(problemOf(res))
    else onDone()
  }
  const reject = async (reason: string) => {
    const res = await api.POST('/v1/moderation/listings/{id}/reject', {
      params: { path: { id: listing.id } },
      headers: { 'if-match': `"${listing.version}"` },
      body: { reason },
    })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p class="card-kind">{tEnum('kind', listing.kind)}</p>
      <h2 class="card-title">
        <Link href={`/listings/${listing.id}`}>{listing.title}</Link>
      </h2>
      <p>
        {listing.location.city} {listing.location.district}
      </p>
      {listing.description && <p class="card-snippet">{listing.description}</p>}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {rejecting ? (
        <ReasonForm
          id={`reason-${listing.id}`}
          label={t('moderation.reason')}
          submitLabel={t('moderation.rejectConfirm')}
          danger
          minLength={2}
          send={reject}
          onCancel={() => setRejecting(false)}
        />
      ) : (
        <div class="actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void approve()}>
            {t('moderation.approve')}
          </button>
          <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setRejecting(true)}>
            {t('moderation.reject')}
          </button>
          <Link href={`/profiles/${listing.organizationId}`} class="btn btn-quiet">
            {t('moderation.viewOrg')}
          </Link>
          <VerifyButton orgId={listing.organizationId} />
        </div>
      )}
    </li>
  )
}

function ReportItem({ report, onDone }: { report: Schema<'RatingReport'>; onDone: () => void }) {
  const t = useT()
  const hide = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/hide', { params: { path: { id: report.ratingId } }, body: { reason } })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p class="card-title">{t('moderation.reportReason', { reason: report.reason })}</p>
      <p class="note">
        {t('moderation.reportMeta', { id: report.ratingId.slice(0, 8), when: formatDateTime(report.createdAt) })}
      </p>
      <ReasonForm
        id={`hide-${report.ratingId}-${report.createdAt}`}
        label={t('moderation.hideReason')}
        submitLabel={t('moderation.hide')}
        danger
        send={hide}
      />
    </li>
  )
}

function Reports() {
  const t = useT()
  const reports = useLoad(
    async () => must(await api.GET('/v1/ratings/reports', { params: { query: { limit: 50 } } })),
    [],
  )
  const [hidden, setHidden] = useState<string[]>([])
  if (reports.loading && !reports.data) return <Loading />
  if (reports.error !== undefined) return <ErrorNote>{problemText(reports.error)}</ErrorNote>
  const items = (reports.data?.items ?? []).filter((r) => !hidden.includes(r.ratingId))
  return (
    <>
      {hidden.length > 0 && (
        <p class="note" role="status">
          {t('moderation.hiddenN', { n: hidden.length })}
        </p>
      )}
      {items.length === 0 ? (
        <Empty title={t('moderation.noReports')} />
      ) : (
        <ul class="card-list">
          {items.map((r) => (
            <ReportItem
              key={`${r.ratingId}-${r.createdAt}`}
              report={r}
              onDone={() => setHidden((h) => [...h, r.ratingId])}
            />
          ))}
        </ul>
      )}
    </>
  )
}

function HiddenItem({ hidden, onDone }: { hidden: Schema<'HiddenRating'>; onDone: () => void }) {
  const t = useT()
  const r = hidden.rating
  const unhide = async (reason: string) => {
    const res = await api.POST('/v1/ratings/{id}/unhide', { params: { path: { id: r.id } }, body: { reason } })
    if (!res.error) onDone()
    return res
  }
  return (
    <li class="card">
      <p>
        <Stars score={r.score} /> <span class="rating-side">{tEnum('ratingSide', r.side)}</span>
      </p>
      {r.comment && <p class="rating-comment">{r.comment}</p>}
      <p class="note">{t('moderation.hiddenMeta', { when: formatDateTime(hidden.hiddenAt), reason: hidden.reason })}</p>
      <ReasonForm
        id={`unhide-${r.id}`}
        label={t('moderation.unhideReason')}
        submitLabel={t('moderation.unhide')}
        send={unhide}
      />
    </li>
  )
}

/** Ratings moderators hid, newest first, each with why and a way to restore it. */
function Hidden() {
  const t = useT()
  const pages = usePages(
    async (cursor) =>
      must(await api.GET('/v1/ratings/hidden', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [],
  )
  const [restored, setRestored] = useState<string[]>([])
  if (pages.loading && !pages.loaded) return <Loading />
  if (pages.error !== undefined && !pages.loaded) return <ErrorNote>{problemText(pages.error)}</ErrorNote>
  const items = pages.items.filter((h) => !restored.includes(h.rating.id))
  return (
    <>
      {restored.length > 0 && (
        <p class="note" role="status">
          {t('moderation.restoredN', { n: restored.length })}
        </p>
      )}
      {items.length === 0 ? (
        <Empty title={t('moderation.noHidden')} />
      ) : (
        <ul class="card-list">
          {items.map((h) => (
            <HiddenItem key={h.rating.id} hidden={h} onDone={() => setRestored((x) => [...x, h.rating.id])} />
          ))}
        </ul>
      )}
      <MoreButton pages={pages} />
    </>
  )
}

/** Hides and restores of ratings (kept by the bookings service, where ratings live), newest first. */
function RatingAudit() {
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

function Audit() {
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
                  {e.objectType === 'listing' ? (
                    <Link href={`/listings/${e.objectId}`}>{tEnum('auditObject', e.objectType)}</Link>
                  ) : e.objectType === 'organization' ? (
                    <Link href={`/profiles/${e.objectId}`}>{tEnum('auditObject', e.objectType)}</Link>
                  ) : (
                    tEnum('auditObject', e.objectType)
                  )}
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

function Queue() {
  const t = useT()
  const queue = useLoad(
    async () => must(await api.GET('/v1/moderation/listings', { params: { query: { limit: 50 } } })),
    [],
  )
  if (queue.loading && !queue.data) return <Loading />
  if (queue.error !== undefined) return <ErrorNote>{problemText(queue.error)}</ErrorNote>
  if (!queue.data || queue.data.items.length === 0) return <Empty title={t('moderation.empty')} />
  return (
    <ul class="card-list">
      {queue.data.items.map((l) => (
        <ReviewItem key={l.id} listing={l} onDone={queue.reload} />
      ))}
    </ul>
  )
}

const TABS = ['queue', 'reports', 'hidden', 'audit'] as const

function Moderation() {
  const t = useT()
  const me = useStore(auth)
  const requested = useQuery().get('tab')
  const tab = TABS.find((x) => x === requested) ?? 'queue'
  if (!me.moderator) return <ErrorNote>{t('moderation.only')}</ErrorNote>
  const label = {
    queue: t('moderation.tabQueue'),
    reports: t('moderation.tabReports'),
    hidden: t('moderation.tabHidden'),
    audit: t('moderation.tabAudit'),
  }
  return (
    <>
      <PageTitle title={t('moderation.title')}>{t('moderation.title')}</PageTitle>
      <nav class="tabs" aria-label={t('moderation.sections')}>
        {TABS.map((x) => (
          <Link
            key={x}
            href={x === 'queue' ? '/moderation' : `/moderation?tab=${x}`}
            class="tab"
            aria-current={x === tab ? 'page' : undefined}
          >
            {label[x]}
          </Link>
        ))}
      </nav>
      {tab === 'queue' ? (
        <Queue />
      ) : tab === 'reports' ? (
        <Reports />
      ) : tab === 'hidden' ? (
        <Hidden />
      ) : (
        <>
          <Audit />
          <RatingAudit />
        </>
      )}
    </>
  )
}

export default function ModerationPage() {
  return (
    <RequireAuth>
      <Moderation />
    </RequireAuth>
  )
}
