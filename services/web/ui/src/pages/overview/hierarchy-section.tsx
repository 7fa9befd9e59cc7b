import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/**
 * The organization's place in the hierarchy: its admins name a parent (by the parent's page link or id,
 * as the parent shares it) and confirm or remove the organizations that name it; a parent with confirmed
 * children reaches its overview dashboard from here. Members also find the organization's surveys here.
 */
export function HierarchySection({ orgId, canManage, member }: { orgId: string; canManage: boolean; member: boolean }) {
  const t = useT()
  const hierarchy = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}/hierarchy', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const [parentRef, setParentRef] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [problem, setProblem] = useState<Problem | undefined>()
  const done = (res: { error?: unknown }) => {
    setProblem(problemOf(res))
    hierarchy.reload()
  }
  const requestParent = async (event: Event) => {
    event.preventDefault()
    const parentId = UUID.exec(parentRef)?.[0]
    if (!parentId) return setError(t('hierarchy.parentInvalid'))
    setError(undefined)
    const res = await api.PUT('/v1/organizations/{id}/parent', { params: { path: { id: orgId } }, body: { parentId } })
    if (!problemOf(res)) setParentRef('')
    done(res)
  }
  const h = hierarchy.data
  const confirmedChildren = h?.children.filter((c) => c.status === 'confirmed') ?? []
  return (
    <section class="section hierarchy" aria-labelledby="hierarchy-title">
      <h2 id="hierarchy-title">{t('hierarchy.title')}</h2>
      {member && (
        <p class="toolbar">
          <Link href={`/orgs/${orgId}/surveys`} class="btn">
            {t('hierarchy.surveys')}
          </Link>
          {canManage && confirmedChildren.length > 0 && (
            <Link href={`/overview/${orgId}`} class="btn btn-primary">
              {t('hierarchy.overview')}
            </Link>
          )}
        </p>
      )}
      {h?.parent && (
        <p>
          {t('hierarchy.parent')}：<Link href={`/profiles/${h.parent.parentId}`}>{h.parent.parentName}</Link>{' '}
          <span class={`status status-${h.parent.status}`}>{tEnum('linkStatus', h.parent.status)}</span>{' '}
          {canManage && (
            <button
              type="button"
              class="btn btn-small btn-quiet"
              onClick={async () =>
                done(await api.DELETE('/v1/organizations/{id}/parent', { params: { path: { id: orgId } } }))
              }
            >
              {h.parent.status === 'pending' ? t('hierarchy.withdraw') : t('hierarchy.leave')}
            </button>
          )}
        </p>
      )}
      {h && !h.parent && canManage && (
        <form class="inline-form" onSubmit={requestParent} noValidate>
          <Field id="parent-ref" label={t('hierarchy.parentRef')} hint={t('hierarchy.parentHint')} error={error}>
            {(a) => (
              <input {...a} value={parentRef} onInput={(e) => setParentRef((e.target as HTMLInputElement).value)} />
            )}
          </Field>
          <button type="submit" class="btn">
            {t('hierarchy.request')}
          </button>
        </form>
      )}
      {canManage && (
        <p class="hint">
          {t('hierarchy.shareId')} <code>{orgId}</code>
        </p>
      )}
      {h && h.children.length > 0 && (
        <>
          <h3>{t('hierarchy.children')}</h3>
          <ul class="card-list">
            {h.children.map((c) => (
              <li key={c.organizationId} class="card listing-row">
                <div>
                  <Link href={`/profiles/${c.organizationId}`} class="card-title">
                    {c.organizationName}
                  </Link>{' '}
                  <span class={`status status-${c.status}`}>{tEnum('linkStatus', c.status)}</span>
                </div>
                {canManage && (
                  <div class="actions">
                    {c.status === 'pending' && (
                      <button
                        type="button"
                        class="btn btn-primary"
                        onClick={async () =>
                          done(
                            await api.POST('/v1/organizations/{id}/children/{childId}/confirm', {
                              params: { path: { id: orgId, childId: c.organizationId } },
                            }),
                          )
                        }
                      >
                        {t('hierarchy.confirm', { name: c.organizationName })}
                      </button>
                    )}
                    <button
                      type="button"
                      class="btn btn-quiet"
                      onClick={async () =>
                        done(
                          await api.DELETE('/v1/organizations/{id}/children/{childId}', {
                            params: { path: { id: orgId, childId: c.organizationId } },
                          }),
                        )
                      }
                    >
                      {t('hierarchy.remove', { name: c.organizationName })}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </section>
  )
}
