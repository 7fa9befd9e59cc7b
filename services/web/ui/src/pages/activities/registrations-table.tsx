import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { type Registration, ZONE } from './types.ts'

/** Downloads the sign-ups as CSV: fetched with the host's token (a plain link would carry none). */
async function downloadCsv(activityId: string): Promise<Problem | undefined> {
  const res = await api.GET('/v1/activities/{id}/registrations', {
    params: { path: { id: activityId }, query: { format: 'csv' } },
    parseAs: 'blob',
  })
  if (!res.data) return problemOf(res)
  const url = URL.createObjectURL(res.data as Blob)
  const link = document.createElement('a')
  link.href = url
  link.download = `activity-${activityId}.csv`
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return undefined
}

function stateOf(r: Registration, t: ReturnType<typeof useT>): string {
  if (r.status === 'waitlisted') return t('manage.waitlistN', { n: r.waitlistPosition ?? '' })
  if (r.status === 'cancelled') return tEnum('registrationStatus', 'cancelled')
  if (r.checkedInAt)
    return `${t('manage.checkedInAt', { at: formatDateTime(r.checkedInAt, ZONE, { dateStyle: undefined }) })}${r.late ? ` · ${t('manage.late')}` : ''}`
  return r.noShow ? t('manage.noShow') : tEnum('registrationStatus', 'confirmed')
}

/** The host's list of sign-ups: confirmed first, then the waitlist in order; check people off the list. */
export function RegistrationsTable({
  activityId,
  items,
  canCheckIn,
  onChange,
}: {
  activityId: string
  items: Registration[]
  canCheckIn: boolean
  onChange: () => void
}) {
  const t = useT()
  const [problem, setProblem] = useState<Problem | undefined>()
  const checkOff = async (r: Registration) => {
    const res = await api.POST('/v1/activities/{id}/check-ins', {
      params: { path: { id: activityId } },
      body: { registrationId: r.id },
    })
    setProblem(problemOf(res))
    if (res.data) onChange()
  }
  const live = items.filter((r) => r.status !== 'cancelled')
  return (
    <section aria-labelledby="regs-title">
      <div class="section-head">
        <h2 id="regs-title">{t('manage.registrations', { n: live.length })}</h2>
        <button type="button" class="btn btn-small" onClick={async () => setProblem(await downloadCsv(activityId))}>
          {t('manage.csv')}
        </button>
      </div>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {live.length === 0 ? (
        <p class="note">{t('manage.noRegistrations')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones (axe: scrollable-region-focusable)
        <section class="table-scroll" tabIndex={0} aria-label={t('manage.registrations', { n: live.length })}>
          <table class="table registrations">
            <thead>
              <tr>
                <th scope="col">{t('registration.name')}</th>
                <th scope="col">{t('manage.role')}</th>
                <th scope="col">{t('manage.state')}</th>
                {canCheckIn && <th scope="col">{t('manage.action')}</th>}
              </tr>
            </thead>
            <tbody>
              {live.map((r) => (
                <tr key={r.id} data-status={r.status} data-checked-in={r.checkedInAt ? 'true' : 'false'}>
                  <td>{r.displayName}</td>
                  <td>
                    {tEnum('registrationRole', r.role)}
                    {r.partyMember ? ` · ${t('manage.partyMember')}` : ''}
                  </td>
                  <td>{stateOf(r, t)}</td>
                  {canCheckIn && (
                    <td>
                      {r.status === 'confirmed' && !r.checkedInAt && (
                        <button
                          type="button"
                          class="btn btn-small"
                          aria-label={t('manage.checkOffName', { name: r.displayName })}
                          onClick={() => checkOff(r)}
                        >
                          {t('manage.checkOff')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  )
}
