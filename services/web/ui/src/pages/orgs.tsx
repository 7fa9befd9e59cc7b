import { CreateOrganizationBody, OrganizationKind } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { Empty, ErrorNote } from '../components/feedback.tsx'
import { Field } from '../components/field.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { PlacePicker } from '../components/place-picker.tsx'
import { PhoneAttach } from '../components/private-forms.tsx'
import { RequireAuth } from '../components/require-auth.tsx'
import { api, auth, fieldErrorsOf, loadMe, type Problem, problemOf, problemText, setAccessToken } from '../lib/api.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { Link, navigate } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { validate } from '../lib/validate.ts'
import { MyInvitations } from './invitations.tsx'

function CreateOrganization() {
  const t = useT()
  const [values, setValues] = useState({
    name: '',
    kind: 'residents_committee',
    city: '',
    district: '',
    districtCode: '',
    description: '',
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const set = (name: keyof typeof values) => (e: Event) =>
    setValues((v) => ({ ...v, [name]: (e.target as HTMLInputElement).value }))

  const submit = async (event: Event) => {
    event.preventDefault()
    const { districtCode, ...named } = values
    const checked = validate(CreateOrganizationBody, districtCode ? values : named)
    if (checked.errors) {
      setErrors(checked.errors)
      document.getElementById(`o-${Object.keys(checked.errors)[0]}`)?.focus()
      return
    }
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/organizations', { body: checked.data })
    setBusy(false)
    if (!res.data) {
      setProblem(problemOf(res))
      setErrors(fieldErrorsOf(problemOf(res)))
      return
    }
    // The answer carries a token that already names the caller the owner.
    setAccessToken(res.data.accessToken)
    await loadMe()
    navigate(`/orgs/${res.data.organization.id}`)
  }

  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="new-org-title">
      <h2 id="new-org-title">{t('orgs.create')}</h2>
      <Field id="o-name" label={t('orgs.name')} error={errors.name}>
        {(a) => <input {...a} value={values.name} onInput={set('name')} />}
      </Field>
      <Field id="o-kind" label={t('orgs.kind')} error={errors.kind}>
        {(a) => (
          <select {...a} value={values.kind} onChange={set('kind')}>
            {OrganizationKind.options.map((k) => (
              <option key={k} value={k}>
                {tEnum('orgKind', k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <PlacePicker
        idPrefix="o"
        value={values}
        error={errors.district ?? errors.city ?? errors.districtCode}
        onChange={(place) =>
          setValues((v) => ({
            ...v,
            districtCode: place?.districtCode ?? '',
            city: place?.city ?? '',
            district: place?.district ?? '',
          }))
        }
      />
      <Field id="o-description" label={t('orgs.description')} error={errors.description}>
        {(a) => <textarea {...a} value={values.description} onInput={set('description')} />}
      </Field>
      {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : t('orgs.createSubmit')}
      </button>
    </form>
  )
}

function MyOrganizations() {
  const t = useT()
  const me = useStore(auth)
  return (
    <>
      <PageTitle title={t('orgs.title')}>{t('orgs.title')}</PageTitle>
      <MyInvitations />
      {me.memberships.length === 0 ? (
        <Empty title={t('orgs.empty')}>
          <p>{t('orgs.emptyHint')}</p>
        </Empty>
      ) : (
        <ul class="card-list">
          {me.memberships.map((m) => (
            <li key={m.organizationId} class="card">
              <Link href={`/orgs/${m.organizationId}`} class="card-title">
                {m.organizationName}
              </Link>
              <span class="badge">{tEnum('role', m.role)}</span>
            </li>
          ))}
        </ul>
      )}
      <CreateOrganization />
      <PhoneAttach />
    </>
  )
}

export default function OrgsPage() {
  return (
    <RequireAuth>
      <MyOrganizations />
    </RequireAuth>
  )
}
