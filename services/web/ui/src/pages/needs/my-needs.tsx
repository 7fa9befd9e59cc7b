import { useState } from 'preact/hooks'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { api, auth, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, usePages } from '../../lib/load.ts'
import { useStore } from '../../lib/store.ts'
import type { Need } from './types.ts'

/** One of my organizations' needs: edit its text while open, or close it. */
function MyNeed({ need: initial }: { need: Need }) {
  const t = useT()
  const [need, setNeed] = useState(initial)
  const [editing, setEditing] = useState(false)
  const [asking, setAsking] = useState(false)
  const [title, setTitle] = useState(need.title)
  const [description, setDescription] = useState(need.description)
  const [error, setError] = useState<string | undefined>()
  const save = async (event: Event) => {
    event.preventDefault()
    const res = await api.PATCH('/v1/needs/{id}', {
      params: { path: { id: need.id } },
      headers: { 'if-match': `"${need.version}"` },
      body: { title, description },
    })
    if (!res.data) return setError(problemText(problemOf(res)))
    setError(undefined)
    setNeed(res.data)
    setEditing(false)
  }
  const close = async () => {
    const res = await api.POST('/v1/needs/{id}/close', { params: { path: { id: need.id } } })
    setAsking(false)
    if (!res.data) return setError(problemText(problemOf(res)))
    setNeed(res.data)
  }
  const headingId = `mn-${need.id}`
  return (
    <li class="card" aria-labelledby={headingId} data-status={need.status}>
      <p class="card-kind">
        {tEnum('kind', need.kind)} · <span class={`status status-${need.status}`}>{tEnum('myNeeds', need.status)}</span>
      </p>
      <h2 class="card-title" id={headingId}>
        {need.title}
      </h2>
      <p class="note">
        {need.organizationName} · {formatDateTime(need.window.start)} – {formatDateTime(need.window.end)}
      </p>
      {editing ? (
        <form class="form" onSubmit={save}>
          <Field id={`mn-title-${need.id}`} label={t('form.title')}>
            {(a) => <input {...a} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field id={`mn-desc-${need.id}`} label={t('form.description')}>
            {(a) => (
              <textarea
                {...a}
                value={description}
                onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <p class="actions">
            <button type="submit" class="btn btn-primary">
              {t('myNeeds.save')}
            </button>
            <button type="button" class="btn btn-quiet" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </p>
        </form>
      ) : (
        need.description && <p>{need.description}</p>
      )}
      {error && <ErrorNote>{error}</ErrorNote>}
      {need.status === 'open' && !editing && (
        <p class="actions">
          <button type="button" class="btn" onClick={() => setEditing(true)}>
            {t('myNeeds.edit')}
          </button>
          <button type="button" class="btn btn-quiet" onClick={() => setAsking(true)}>
            {t('myNeeds.close')}
          </button>
        </p>
      )}
      {asking && (
        <ConfirmDialog
          title={t('myNeeds.closeAsk')}
          confirmLabel={t('myNeeds.closeConfirm')}
          onConfirm={close}
          onCancel={() => setAsking(false)}
        >
          <p>{t('myNeeds.closeText')}</p>
        </ConfirmDialog>
      )}
    </li>
  )
}

/** 我的需求: the needs my organizations posted, open and closed, newest first. */
export function MyNeeds({ posted }: { posted: number }) {
  const t = useT()
  const me = useStore(auth)
  const orgs = me.memberships.map((m) => m.organizationId)
  const needs = usePages(
    async (cursor) => {
      // One page per organization, merged newest first (most members belong to one or two).
      const pages = await Promise.all(
        orgs.map(async (organizationId) =>
          must(
            await api.GET('/v1/needs', {
              params: { query: { organizationId, status: 'all', limit: 50, ...(cursor ? { cursor } : {}) } },
            }),
          ),
        ),
      )
      const items = pages.flatMap((p) => p.items).sort((a, b) => (a.id < b.id ? 1 : -1))
      return { items, nextCursor: pages.length === 1 ? pages[0]!.nextCursor : null }
    },
    [orgs.join(), posted],
  )
  if (needs.loading && !needs.loaded) return <Loading />
  if (needs.error !== undefined && !needs.loaded) return <ErrorNote>{t('needs.error')}</ErrorNote>
  if (needs.items.length === 0) return <Empty title={t('myNeeds.empty')} />
  return (
    <>
      <ul class="card-list">
        {needs.items.map((n) => (
          <MyNeed key={`${n.id}:${n.version}`} need={n} />
        ))}
      </ul>
      <MoreButton pages={needs} />
    </>
  )
}
