import { useRef, useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, auth, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { useReached } from '../../lib/time.ts'
import { EvaluationForm } from './evaluation-form.tsx'
import { MyRegistrationCard } from './my-registration.tsx'
import type { Activity, MyRegistration } from './types.ts'

/** The sign-up form: 报名 as an attendee, 当志愿者 when the activity has volunteer places. */
function SignUpForm({ activity, onDone }: { activity: Activity; onDone: () => void }) {
  const t = useT()
  const me = useStore(auth)
  const [name, setName] = useState(me.user?.displayName ?? '')
  const [partyMember, setPartyMember] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [nameError, setNameError] = useState<string | undefined>()
  // One key per sign-up being made: a double tap or a retry after a lost answer signs up once.
  const key = useRef(crypto.randomUUID())
  const send = async (role: 'attendee' | 'volunteer') => {
    if (!name.trim()) return setNameError(t('form.requiredField', { field: t('registration.name') }))
    setNameError(undefined)
    setBusy(true)
    const res = await api.POST('/v1/activities/{id}/registrations', {
      params: { path: { id: activity.id }, header: { 'idempotency-key': `${key.current}-${role}` } },
      body: { role, displayName: name.trim(), partyMember: role === 'volunteer' && partyMember },
    })
    setBusy(false)
    if (problemOf(res)) return setProblem(problemOf(res))
    key.current = crypto.randomUUID()
    onDone()
  }
  const full = activity.attendees >= activity.capacity
  const volunteersFull = activity.volunteers >= activity.volunteerPlaces
  return (
    <form class="card sign-up" onSubmit={(e) => e.preventDefault()} noValidate>
      <h2>{t('registration.title')}</h2>
      <Field id="su-name" label={t('registration.name')} hint={t('registration.nameHint')} error={nameError}>
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
      </Field>
      {full && <p class="note">{t('registration.fullNote')}</p>}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => send('attendee')}>
          {full ? t('registration.joinWaitlist') : t('registration.signUp')}
        </button>
      </div>
      {activity.volunteerPlaces > 0 && (
        <fieldset class="volunteer-choice">
          <legend>{t('registration.volunteerLegend')}</legend>
          {activity.volunteerSkills.length > 0 && (
            <p class="hint">{t('registration.skills', { skills: activity.volunteerSkills.join('、') })}</p>
          )}
          <label class="choice-row">
            <input
              type="checkbox"
              checked={partyMember}
              onChange={(e) => setPartyMember((e.target as HTMLInputElement).checked)}
            />
            {t('registration.partyMember')}
          </label>
          <button type="button" class="btn" disabled={busy} onClick={() => send('volunteer')}>
            {volunteersFull ? t('registration.volunteerWaitlist') : t('registration.volunteer')}
          </button>
        </fieldset>
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </form>
  )
}

/**
 * What a signed-in person can do on an activity's page: sign up (before the deadline), see and withdraw
 * their sign-up with its QR code, and after the end evaluate the host in their direction.
 */
export function ParticipantPanel({ activity, onChange }: { activity: Activity; onChange: () => void }) {
  const t = useT()
  const me = useStore(auth)
  const ended = useReached(activity.end)
  const closed = useReached(activity.signUpDeadline)
  const mine = useLoad(async (): Promise<MyRegistration | null> => {
    if (me.status !== 'signed-in') return null
    const res = await api.GET('/v1/activities/{id}/registrations/me', { params: { path: { id: activity.id } } })
    if (res.data) return res.data
    if (res.response.status === 404) return null
    throw problemOf(res)
  }, [activity.id, me.status])
  if (me.status === 'restoring') return <Loading />
  if (me.status === 'signed-out')
    return (
      <p>
        <Link href="/signin" class="btn btn-primary">
          {t('registration.signInFirst')}
        </Link>
      </p>
    )
  if (mine.loading && mine.data === undefined) return <Loading />
  if (mine.error !== undefined) return <ErrorNote>{problemText(mine.error)}</ErrorNote>
  const registration = mine.data
  const changed = () => {
    mine.reload()
    onChange()
  }
  if (registration) {
    const served = registration.status === 'confirmed' && registration.checkedInAt !== null
    return (
      <section aria-label={t('registration.mine')}>
        <h2>{t('registration.mine')}</h2>
        <MyRegistrationCard registration={registration} ended={ended} onCancelled={changed} />
        <p>
          <Link href="/activities/mine">{t('registration.seeMine')}</Link>
        </p>
        {ended && served && (
          <EvaluationForm
            activityId={activity.id}
            direction={registration.role === 'volunteer' ? 'volunteer_to_host' : 'attendee_to_host'}
          />
        )}
        {ended && served && registration.volunteersServed.length > 0 && (
          <section aria-labelledby="rate-volunteers">
            <h3 id="rate-volunteers">{t('evaluation.rateVolunteers')}</h3>
            <p class="hint">{t('evaluation.rateVolunteersHint')}</p>
            {registration.volunteersServed.map((v) => (
              <EvaluationForm
                key={v.userId}
                activityId={activity.id}
                direction="attendee_to_volunteer"
                subjectUserId={v.userId}
                subjectName={v.displayName}
              />
            ))}
          </section>
        )}
      </section>
    )
  }
  if (activity.status !== 'published') return null
  if (closed) return <p class="note">{t('registration.closed')}</p>
  return <SignUpForm activity={activity} onDone={changed} />
}
