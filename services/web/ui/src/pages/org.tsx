import type { Schema } from '@commons/client'
import { AddMemberBody, OrgRole, photoUrl } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { VerifiedBadge } from '../components/cards.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { Field } from '../components/field.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { ContactsForm } from '../components/private-forms.tsx'
import { RequireAuth } from '../components/require-auth.tsx'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText, uploadPhoto } from '../lib/api.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { validate } from '../lib/validate.ts'
import { OrgInvitations } from './invitations.tsx'
import { HierarchySection } from './overview/hierarchy-section.tsx'

type Listing = Schema<'Listing'>
type Action = 'submit' | 'pause' | 'resume' | 'archive'

/** Lifecycle actions the owner may take from each status (draft -> pending_review -> published <-> paused). */
const ACTIONS: Record<Listing['status'], Action[]> = {
  draft: ['submit', 'archive'],
  pending_review: ['archive'],
  published: ['pause', 'archive'],
  paused: ['resume', 'archive'],
  archived: [],
}

function Members({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const t = useT()
  const members = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}/members', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<'member' | 'admin'>('member')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  // Adding is an invitation: the person joins when they accept, so the list to refresh is the invitations'.
  const [sent, setSent] = useState<string | undefined>()
  const [invitations, setInvitations] = useState(0)

  const add = async (event: Event) => {
    event.preventDefault()
    const checked = validate(AddMemberBody, { email, role })
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    const res = await api.POST('/v1/organizations/{id}/members', {
      params: { path: { id: orgId } },
      body: checked.data,
    })
    if (problemOf(res)) {
      setProblem(problemOf(res))
      setErrors(fieldErrorsOf(problemOf(res)))
      return
    }
    setProblem(undefined)
    setSent(checked.data.email)
    setEmail('')
    setInvitations((n) => n + 1)
  }

  return (
    <section class="section" aria-labelledby="members-title">
      <h2 id="members-title">{t('org.members')}</h2>
      {members.loading && !members.data && <Loading />}
      {members.data && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('org.memberName')}</th>
              <th scope="col">{t('auth.email')}</th>
              <th scope="col">{t('org.role')}</th>
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.userId}>
                <td>{m.displayName}</td>
                <td>{m.email}</td>
                <td>{tEnum('role', m.role)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && (
        <form class="inline-form" onSubmit={add} noValidate>
          <Field id="m-email" label={t('org.addMemberEmail')} error={errors.email}>
            {(a) => (
              <input
                {...a}
                type="email"
                value={email}
                onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <Field id="m-role" label={t('org.role')} error={errors.role}>
            {(a) => (
              <select
                {...a}
                value={role}
                onChange={(e) => setRole((e.target as HTMLSelectElement).value as 'member' | 'admin')}
              >
                {OrgRole.options
                  .filter((r) => r !== 'owner')
                  .map((r) => (
                    <option key={r} value={r}>
                      {tEnum('role', r)}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <button type="submit" class="btn">
            {t('org.addMember')}
          </button>
          {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
          <p class="muted">{t('invite.hint')}</p>
          {sent && (
            <p class="note" role="status">
              {t('invite.sent', { email: sent })}
            </p>
          )}
        </form>
      )}
      {canManage && <OrgInvitations orgId={orgId} reloadKey={invitations} />}
    </section>
  )
}

function Listings({ orgId, canManage, verified }: { orgId: string; canManage: boolean; verified: boolean }) {
  const t = useT()
  const listings = useLoad(
    async () =>
      must(
        await api.GET('/v1/organizations/{id}/listings', { params: { path: { id: orgId }, query: { limit: 100 } } }),
      ),
    [orgId],
  )
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState<string | undefined>()
  const [archiving, setArchiving] = useState<Listing | undefined>()
  const act = async (listing: Listing, action: Action) => {
    setBusy(listing.id)
    setProblem(undefined)
    const res = await api.POST(`/v1/listings/{id}/${action}`, {
      params: { path: { id: listing.id } },
      headers: { 'if-match': `"${listing.version}"` },
    })
    setBusy(undefined)
    if (problemOf(res)) setProblem(problemOf(res))
    listings.reload()
  }
  return (
    <section class="section" aria-labelledby="listings-title">
      <div class="section-head">
        <h2 id="listings-title">{t('org.listings')}</h2>
        {canManage && (
          <Link href={`/orgs/${orgId}/listings/new`} class="btn btn-primary">
            {t('org.newListing')}
          </Link>
        )}
      </div>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {listings.loading && !listings.data && <Loading />}
      {listings.data && listings.data.items.length === 0 && <Empty title={t('org.noListings')} />}
      {listings.data && listings.data.items.length > 0 && (
        <ul class="card-list">
          {listings.data.items.map((l) => (
            <li key={l.id} class="card listing-row">
              <div>
                <Link href={`/listings/${l.id}`} class="card-title">
                  {l.title}
                </Link>
                <p>
                  {tEnum('kind', l.kind)} ·{' '}
                  <span class={`status status-${l.status}`} data-status={l.status}>
                    {tEnum('status', l.status)}
                  </span>
                </p>
                {l.rejectionReason && l.status === 'draft' && (
                  <p class="field-error">{t('org.rejected', { reason: l.rejectionReason })}</p>
                )}
              </div>
              {canManage && (
                <div class="actions">
                  {l.status !== 'archived' && (
                    <Link href={`/listings/${l.id}/edit`} class="btn btn-quiet">
                      {t('listing.edit')}
                    </Link>
                  )}
                  {ACTIONS[l.status].map((action) => (
                    <button
                      type="button"
                      key={action}
                      class={`btn${action === 'archive' ? ' btn-danger' : ''}`}
                      disabled={busy === l.id}
                      onClick={() => (action === 'archive' ? setArchiving(l) : void act(l, action))}
                    >
                      {/* A verified organization's listing publishes at once: the button says so. */}
                      {action === 'submit' && verified ? t('action.publish') : t(`action.${action}`)}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {archiving && (
        <ConfirmDialog
          title={t('org.archiveTitle', { title: archiving.title })}
          confirmLabel={t('action.archive')}
          danger
          busy={busy === archiving.id}
          onConfirm={() => void act(archiving, 'archive').then(() => setArchiving(undefined))}
          onCancel={() => setArchiving(undefined)}
        >
          <p>{t('org.confirmArchive')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/** Uploads a photo and makes it the organization's logo. */
function LogoUpload({ orgId, version, onDone }: { orgId: string; version: number; onDone: () => void }) {
  const t = useT()
  const [problem, setProblem] = useState<Problem | undefined>()
  const change = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    if (!file) return
    setProblem(undefined)
    const uploaded = await uploadPhoto(orgId, file)
    input.value = ''
    if (!uploaded.data) return setProblem(uploaded.error)
    const res = await api.PATCH('/v1/organizations/{id}', {
      params: { path: { id: orgId } },
      headers: { 'if-match': `"${version}"` },
      // The generated type lists defaulted fields as required; the API takes a partial update.
      body: { logo: uploaded.data.id } as never,
    })
    if (res.data) onDone()
    else setProblem(problemOf(res))
  }
  return (
    <div class="field">
      <label for="org-logo">{t('photos.logo')}</label>
      <input
        id="org-logo"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        onChange={(e) => void change(e.target as HTMLInputElement)}
      />
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </div>
  )
}

function Organization({ orgId }: { orgId: string }) {
  const t = useT()
  const me = useStore(auth)
  const org = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const role = me.memberships.find((m) => m.organizationId === orgId)?.role
  const canManage = role === 'owner' || role === 'admin'
  if (org.loading && !org.data) return <Loading />
  if (!org.data) return <ErrorNote>{t('org.notFound')}</ErrorNote>
  return (
    <>
      <PageTitle title={org.data.name}>
        {org.data.name} {org.data.verified && <VerifiedBadge />}
      </PageTitle>
      <p class="lead">
        {tEnum('orgKind', org.data.kind)} · {org.data.city} {org.data.district}
      </p>
      {org.data.logo && (
        <img
          class="org-logo"
          src={photoUrl(org.data.logo, 'card')}
          alt={t('photos.logoAlt', { name: org.data.name })}
          width={96}
          height={96}
        />
      )}
      {canManage && <LogoUpload orgId={orgId} version={org.data.version} onDone={org.reload} />}
      {org.data.description && <p>{org.data.description}</p>}
      <Listings orgId={orgId} canManage={canManage} verified={org.data.verified} />
      <p>
        <Link href={`/orgs/${orgId}/activities`} class="btn">
          {t('host.open')}
        </Link>
      </p>
      {canManage && <ContactsForm orgId={orgId} />}
      {role && <Members orgId={orgId} canManage={canManage} />}
      <HierarchySection orgId={orgId} canManage={canManage} member={Boolean(role)} />
    </>
  )
}

export default function OrgPage({ orgId }: { orgId: string }) {
  return (
    <RequireAuth>
      <Organization orgId={orgId} />
    </RequireAuth>
  )
}
